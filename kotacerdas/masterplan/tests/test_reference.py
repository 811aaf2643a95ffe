from decimal import Decimal

from kotacerdas.masterplan.actions import masterplan_load_reference
from kotacerdas.masterplan.models import (
    Dimension,
    EvaluationComponent,
    SpbeAspect,
    SpbeBand,
    SpbeDomain,
    SpbeIndicator,
    SpbeLevel,
    SubDimension,
)


def test_frameworks_load_from_the_reference_data_once(db):
    first = masterplan_load_reference()
    assert masterplan_load_reference() == 0
    assert first == 6 + 18 + 5 + 4 + 8 + 47 + 5 + 5
    assert list(Dimension.objects.values_list("name", flat=True)) == [
        "Smart Governance",
        "Smart Branding",
        "Smart Economy",
        "Smart Living",
        "Smart Society",
        "Smart Environment",
    ]
    assert SubDimension.objects.get(dimension__code="environment", number=2).name_en == "Waste"
    assert SpbeDomain.objects.count() == 4 and SpbeAspect.objects.count() == 8
    assert sum(i.weight for i in SpbeIndicator.objects.all()) == Decimal(100)
    assert SpbeIndicator.objects.get(number=43).name.endswith("Data Terbuka")
    assert [level.name for level in SpbeLevel.objects.all()][0] == "Rintisan"
    assert list(SpbeBand.objects.values_list("name", flat=True)) == [
        "Memuaskan",
        "Sangat Baik",
        "Baik",
        "Cukup",
        "Kurang",
    ]
    weights = dict(EvaluationComponent.objects.values_list("code", "weight"))
    assert weights == {
        "baseline": Decimal("0.1"),
        "output": Decimal("0.2"),
        "outcome": Decimal("0.3"),
        "impact": Decimal("0.2"),
        "quick_win": Decimal("0.2"),
    }


def test_an_edited_weight_survives_loading_again(db):
    masterplan_load_reference()
    SpbeIndicator.objects.filter(number=1).update(weight=Decimal("2.00"))
    SpbeBand.objects.filter(name="Baik").update(minimum=Decimal("2.50"))
    masterplan_load_reference()
    assert SpbeIndicator.objects.get(number=1).weight == Decimal("2.00")
    assert SpbeBand.objects.get(name="Baik").minimum == Decimal("2.50")
