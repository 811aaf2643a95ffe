"""NetJSON DeviceMonitoring as a router pushes it: the upstream spec (netjson
schema/device-monitoring.json: only `type` required) with the fields and required keys
OpenWISP's monitoring accepts (reference/wifi.md §1.5), re-derived from that field list, so a
router configured for OpenWISP can push here unchanged.

Unknown keys are kept wherever the spec allows them (top level, interfaces, statistics):
agents add counters over time. Types are strict as in JSON Schema: "123" is not a number.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class General(Open):
    local_time: int | None = None  # epoch seconds
    uptime: NonNegativeInt | None = None  # seconds
    hostname: str | None = None


class Memory(Open):
    total: NonNegativeInt
    free: NonNegativeInt
    buffered: NonNegativeInt
    shared: NonNegativeInt
    cached: NonNegativeInt | None = None
    available: NonNegativeInt | None = None


class Disk(Closed):
    mount_point: str
    filesystem: str
    used_bytes: NonNegativeInt
    available_bytes: NonNegativeInt
    used_percent: float = Field(ge=0, le=100)
    size_bytes: NonNegativeInt


class Resources(Open):
    load: list[float] | None = Field(default=None, max_length=3)  # 1, 5 and 15 minutes
    cpus: NonNegativeInt | None = None
    memory: Memory | None = None
    disk: list[Disk] | None = None
    swap: dict | None = None
    connections: dict | None = None
    processes: dict | None = None
    cpu: dict | None = None
    flash: dict | None = None
    storage: dict | None = None


class Statistics(Open):
    rx_bytes: NonNegativeInt | None = None
    tx_bytes: NonNegativeInt | None = None
    rx_packets: NonNegativeInt | None = None
    tx_packets: NonNegativeInt | None = None
    rx_errors: NonNegativeInt | None = None
    tx_errors: NonNegativeInt | None = None
    rx_dropped: NonNegativeInt | None = None
    tx_dropped: NonNegativeInt | None = None


class Client(Open):
    mac: str
    auth: bool
    authorized: bool
    ht: bool
    vht: bool
    wmm: bool
    mfp: bool
    he: bool | None = None
    assoc: bool | None = None
    signal: int | None = None
    noise: int | None = None
    vendor: str | None = None


class Wireless(Open):
    channel: int
    country: str
    frequency: int
    mode: str
    noise: int
    ssid: str
    tx_power: int
    signal: int | None = None
    htmode: str | None = None
    clients: list[Client] = []


class Address(Open):
    proto: str
    family: str
    address: str
    mask: int


class Interface(Open):
    name: str
    type: str | None = None
    up: bool | None = None
    uptime: NonNegativeInt | None = None
    mac: str | None = None
    mtu: NonNegativeInt | None = None
    statistics: Statistics | None = None
    wireless: Wireless | None = None
    mobile: dict | None = None
    addresses: list[Address] | None = None


class DhcpLease(Open):
    expiry: int
    ip: str
    mac: str
    client_name: str
    client_id: str


class Neighbor(Open):
    ip: str
    interface: str
    mac: str | None = None
    state: str | None = None


# Interfaces whose counters repeat other interfaces' traffic (a bridge sums its members) or
# are not traffic at all.
NOT_COUNTED = {"bridge", "loopback"}


class DeviceMonitoring(Open):
    type: Literal["DeviceMonitoring"]
    general: General | None = None
    resources: Resources | None = None
    interfaces: list[Interface] = []
    dhcp_leases: list[DhcpLease] | None = None
    neighbors: list[Neighbor] | None = None

    # --- What DeviceStatus keeps of it --------------------------------------------------------

    def uptime_seconds(self) -> int | None:
        return self.general.uptime if self.general else None

    def load_1(self) -> float | None:
        load = self.resources.load if self.resources else None
        return load[0] if load else None

    def memory_percent(self) -> float | None:
        """Used memory in percent: total minus `available` where the agent reports it (the
        kernel's own estimate), else minus free, buffers and cache. The upstream example
        spells the cache `cache`, OpenWISP `cached`; both are read."""
        memory = self.resources.memory if self.resources else None
        if memory is None or memory.total == 0:
            return None
        if memory.available:
            used = memory.total - memory.available
        else:
            cached = memory.cached
            if cached is None:
                spelled_upstream = (memory.model_extra or {}).get("cache")
                cached = spelled_upstream if isinstance(spelled_upstream, int) else 0
            used = memory.total - memory.free - memory.buffered - cached
        return round(max(0.0, min(100.0, 100 * used / memory.total)), 1)

    def clients(self) -> int:
        return sum(len(i.wireless.clients) for i in self.interfaces if i.wireless is not None)

    def traffic(self) -> tuple[int | None, int | None]:
        """(rx, tx) bytes summed over the interfaces that carry their own traffic."""
        counted = [
            i.statistics for i in self.interfaces
            if i.statistics is not None and i.type not in NOT_COUNTED and i.name != "lo"
        ]
        if not counted:
            return None, None
        return sum(s.rx_bytes or 0 for s in counted), sum(s.tx_bytes or 0 for s in counted)
