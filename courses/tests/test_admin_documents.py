"""Documents beside the application in the admin, the one-step decision, the score sheet."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from courses.models import ApplicationEvent, ApplicationStatus
from notifications.models import Notification
from trainees.tests.factories import DocumentFactory

from .factories import CohortFactory, application_in

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def staff_client(client, staff_member):
    client.force_login(staff_member(TRAINING_STAFF))
    return client


def with_documents(application):
    DocumentFactory(trainee=application.trainee, kind="ktp")  # a PDF
    DocumentFactory(trainee=application.trainee, kind="ijazah", png=True)
    return application


def change_url(application):
    return reverse("admin:courses_application_change", args=[application.pk])


def decide_url(application, decision):
    return reverse("admin:courses_application_documents", args=[application.pk, decision])


def test_change_page_previews_each_required_document_through_the_private_view(staff_client):
    application = with_documents(application_in(CohortFactory()))
    body = staff_client.get(change_url(application)).content.decode()
    documents = {d.kind: d for d in application.trainee.documents.all()}
    ktp_url = reverse("trainees:document-download", args=[documents["ktp"].pk])
    ijazah_url = reverse("trainees:document-download", args=[documents["ijazah"].pk])
    assert f'<img src="{ijazah_url}"' in body  # the image inline
    assert f'href="{ktp_url}"' in body and "PDF" in body  # the PDF as a link
    assert "/media/" not in body  # never a public URL of the storage
    # The preview itself opens for staff, and the opening is audited.
    assert staff_client.get(ijazah_url).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOCUMENT_DOWNLOAD).exists()


def test_a_pdf_shows_its_first_page_rendered_cached_and_served_privately(
    staff_client, client, django_assert_max_num_queries
):
    from PIL import Image

    from trainees import previews

    application = with_documents(application_in(CohortFactory()))
    ktp = application.trainee.documents.get(kind="ktp")
    preview_url = reverse("trainees:document-preview", args=[ktp.pk])
    body = staff_client.get(change_url(application)).content.decode()
    assert f'<img src="{preview_url}"' in body
    assert "ktp.pdf" in body  # the link to the PDF stays beside it
    response = staff_client.get(preview_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "PNG" and image.width == previews.PREVIEW_WIDTH
    assert AuditEvent.objects.filter(detail__preview=True).exists()
    # Rendered once: the picture comes from the cache afterwards.
    calls = []
    real = previews.pdf_first_page_png
    previews.pdf_first_page_png = lambda content: calls.append(1) or real(content)
    try:
        assert staff_client.get(preview_url).status_code == 200
    finally:
        previews.pdf_first_page_png = real
    assert calls == []
    # Nobody else reaches it: another job seeker 404, anonymous to the log-in.
    client.logout()
    assert client.get(preview_url).status_code == 302
    from trainees.tests.factories import TraineeFactory

    client.force_login(TraineeFactory().user)
    assert client.get(preview_url).status_code == 404


def test_a_pdf_that_cannot_be_rendered_shows_the_link_and_a_message_never_a_500(
    staff_client, monkeypatch
):
    from trainees import previews

    application = with_documents(application_in(CohortFactory()))
    ktp = application.trainee.documents.get(kind="ktp")
    # Passed the upload checks, yet PDFium cannot draw it (a damaged page tree, say).
    monkeypatch.setattr(previews, "pdf_first_page_png", lambda content: None)
    response = staff_client.get(change_url(application))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="preview-failed"' in body
    assert "Halaman pertama tidak dapat ditampilkan" in body
    assert f'href="{reverse("trainees:document-download", args=[ktp.pk])}"' in body
    preview_url = reverse("trainees:document-preview", args=[ktp.pk])
    assert preview_url not in body
    assert staff_client.get(preview_url).status_code == 404


def test_pdfium_refusing_garbage_gives_no_picture():
    from trainees.previews import pdf_first_page_png

    assert pdf_first_page_png(b"%PDF-1.7\n this is not a PDF at all") is None
    assert pdf_first_page_png(b"") is None


def test_a_replaced_pdf_never_shows_the_old_picture(
    staff_client, django_capture_on_commit_callbacks
):
    from trainees import services
    from trainees.previews import preview_key
    from trainees.tests.factories import pdf_upload

    application = with_documents(application_in(CohortFactory()))
    ktp = application.trainee.documents.get(kind="ktp")
    staff_client.get(change_url(application))
    from django.core.cache import cache

    old_key = preview_key(ktp.pk, ktp.file.name)
    assert cache.get(old_key)
    user = application.trainee.user
    with django_capture_on_commit_callbacks(execute=True):
        new = services.document_upload(
            trainee=application.trainee, kind="ktp", uploaded=pdf_upload(), actor=user
        )
    assert cache.get(old_key) is None
    assert preview_key(new.pk, new.file.name) != old_key
    services.document_delete(document=new, actor=user)
    assert cache.get(preview_key(new.pk, new.file.name)) is None


def test_a_missing_document_says_so(staff_client):
    application = application_in(CohortFactory())
    body = staff_client.get(change_url(application)).content.decode()
    assert "belum diunggah" in body


def test_placement_officers_see_no_documents(client, staff_member):
    application = with_documents(application_in(CohortFactory()))
    client.force_login(staff_member(PLACEMENT_OFFICER))
    response = client.get(change_url(application))
    assert response.status_code == 200
    assert "document-previews" not in response.content.decode()
    assert client.post(decide_url(application, "verify")).status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_documents_verified_in_one_step(staff_client):
    application = with_documents(application_in(CohortFactory()))
    response = staff_client.post(decide_url(application, "verify"), follow=True)
    application.refresh_from_db()
    assert application.status == S.DOCUMENTS_VERIFIED
    assert response.redirect_chain[-1][0].endswith(
        f"?cohort__id__exact={application.cohort_id}&status__exact=submitted"
    )
    assert Notification.objects.filter(
        kind="application.documents_verified", recipient=application.trainee.user
    ).exists()


def test_documents_refused_with_the_reason_the_person_reads(staff_client):
    application = with_documents(application_in(CohortFactory()))
    staff_client.post(
        decide_url(application, "refuse"), {"reason": "Foto KTP buram, unggah ulang."}
    )
    application.refresh_from_db()
    assert application.status == S.NOT_ACCEPTED
    event = ApplicationEvent.objects.get(application=application, to_status=S.NOT_ACCEPTED)
    assert event.reason == "Foto KTP buram, unggah ulang."


def test_refusing_without_a_reason_changes_nothing(staff_client):
    application = application_in(CohortFactory())
    response = staff_client.post(decide_url(application, "refuse"), {"reason": " "}, follow=True)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert any("alasan" in str(m).lower() for m in response.context["messages"])


def test_decisions_are_post_only_and_unknown_ones_refused(staff_client):
    application = application_in(CohortFactory())
    assert staff_client.get(decide_url(application, "verify")).status_code == 405
    assert staff_client.post(decide_url(application, "approve")).status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_decided_application_offers_no_decision_and_refuses_a_second(staff_client):
    application = application_in(CohortFactory(), S.DOCUMENTS_VERIFIED)
    body = staff_client.get(change_url(application)).content.decode()
    assert decide_url(application, "verify") not in body
    staff_client.post(decide_url(application, "verify"))
    application.refresh_from_db()
    assert application.status == S.DOCUMENTS_VERIFIED


# ------------------------------------------------------------------------ score sheet


def test_score_sheet_downloads_prefilled_and_imports_back(staff_client):
    cohort = CohortFactory()
    first = application_in(cohort, S.DOCUMENTS_VERIFIED, written_test_score=Decimal(70))
    second = application_in(cohort, S.SUBMITTED)
    application_in(cohort, S.ACCEPTED)  # ranked already: not on the sheet
    response = staff_client.get(
        reverse("admin:courses_cohort_score_sheet", args=[cohort.pk, "csv"])
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["application", "name", "status", "written_test", "interview"]
    assert [int(r[0]) for r in rows[1:]] == [first.pk, second.pk]
    assert rows[1][3] == "70.00"
    # Fill in the interview of the first and both of the second, import the sheet back.
    rows[1][4] = "81"
    rows[2][3], rows[2][4] = "66,5", "72"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile("nilai.csv", out.getvalue().encode())
    response = staff_client.post(
        reverse("admin:courses_cohort_scores", args=[cohort.pk]), {"file": upload}
    )
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.written_test_score, first.interview_score) == (Decimal(70), Decimal(81))
    assert (second.written_test_score, second.interview_score) == (Decimal("66.5"), Decimal(72))


def test_score_sheet_xlsx_and_unknown_format(staff_client):
    from openpyxl import load_workbook

    cohort = CohortFactory()
    application_in(cohort, S.DOCUMENTS_VERIFIED)
    url = reverse("admin:courses_cohort_score_sheet", args=[cohort.pk, "xlsx"])
    workbook = load_workbook(io.BytesIO(staff_client.get(url).content))
    assert [c.value for c in workbook.active[1]][:2] == ["application", "name"]
    bad = reverse("admin:courses_cohort_score_sheet", args=[cohort.pk, "xlsx"]).replace(
        "xlsx", "ods"
    )
    assert staff_client.get(bad).status_code == 404


def test_score_columns_come_right_after_the_name(staff_client):
    cohort = CohortFactory()
    application_in(cohort, S.DOCUMENTS_VERIFIED)
    response = staff_client.get(
        reverse("admin:courses_application_changelist") + f"?cohort__id__exact={cohort.pk}"
    )
    columns = list(response.context["cl"].list_display)
    assert columns.index("written_test_score") == columns.index("applicant") + 1
    assert columns.index("interview_score") == columns.index("applicant") + 2
