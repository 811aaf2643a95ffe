from huey.contrib.djhuey import db_task

from kotacerdas.opendata.actions import resource_load


@db_task(retries=2, retry_delay=30)
def datastore_load(resource_id: str) -> None:
    """Load a tabular file into the datastore. A failure of the file is kept on the resource
    for the producer; a crash of the worker retries, so no upload stays "pending" for ever."""
    resource_load(resource_id=resource_id)
