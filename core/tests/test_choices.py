from core.choices import DocumentKind, EducationLevel


def test_education_levels_are_ordered_and_sma_equals_smk():
    assert EducationLevel.SD.rank < EducationLevel.SMP.rank < EducationLevel.SMA.rank
    assert EducationLevel.SMA.rank == EducationLevel.SMK.rank
    assert EducationLevel.SMK.rank < EducationLevel.D1.rank < EducationLevel.D3.rank
    assert EducationLevel.D3.rank < EducationLevel.D4_S1.rank < EducationLevel.S2_PLUS.rank


def test_meets_compares_by_rank_and_treats_no_minimum_as_open():
    assert EducationLevel.meets("smk", "sma")
    assert EducationLevel.meets("d3", "smk")
    assert not EducationLevel.meets("smp", "sma")
    assert EducationLevel.meets("smp", None)
    assert EducationLevel.meets(None, "")
    assert not EducationLevel.meets(None, "sd")


def test_value_ranges_for_queries():
    assert EducationLevel.values_at_most("smk") == ["sd", "smp", "sma", "smk"]
    assert EducationLevel.values_at_least("d4_s1") == ["d4_s1", "s2_plus"]


def test_document_kinds():
    assert set(DocumentKind.values) == {"ktp", "ijazah", "kk", "photo", "fitness", "experience"}


def test_choice_labels_follow_the_active_language_and_keep_unknown_values():
    from django.utils import translation

    from courses.models import Application, ApplicationStatus

    application = Application(status=ApplicationStatus.RESERVE)
    with translation.override("en"):
        english = application.get_status_display()
    with translation.override("id"):
        indonesian = application.get_status_display()
    assert english == "On the reserve list"
    assert indonesian == "Cadangan"  # the label is translated when read, not when cached
    with translation.override("en"):
        assert english == ApplicationStatus.RESERVE.label
    application.status = "no_such_status"
    assert application.get_status_display() == "no_such_status"
