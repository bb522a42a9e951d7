"""The job seeker's part of a person's data export and erasure (see core.personal_data)."""

import datetime

from django.db import transaction

from .models import Document, Trainee


def _trainee(user):
    return Trainee.objects.filter(user=user).first()


def export(user) -> dict:
    trainee = _trainee(user)
    if trainee is None:
        return {}
    fields = [
        "nik", "birth_date", "gender", "address", "regency", "kecamatan",
        "domicile_in_batang", "education_level", "major", "school", "graduation_year",
        "work_experience_years", "current_activity", "disability", "ak1_number", "karirhub_id", "consent_at",
        "created_at",
    ]  # fmt: skip
    profile = {name: getattr(trainee, name, None) for name in fields}
    profile["documents"] = [
        {
            "kind": d.kind,
            "content_type": d.content_type,
            "size": d.size,
            "original_name": d.original_name,
            "uploaded_at": d.uploaded_at,
            "file_in_zip": f"documents/{d.download_name}",
        }
        for d in trainee.documents.all()
    ]
    return profile


def files(user) -> list:
    trainee = _trainee(user)
    if trainee is None:
        return []
    return [(d.download_name, lambda d=d: d.file.open("rb")) for d in trainee.documents.all()]


def erase(user) -> dict:
    """Delete documents and identifying facts; keep what statistics need.

    Kept: gender, regency/kecamatan and domicile, education level, graduation year,
    current activity, consent time, and the birth *year* (1 January of it) for age
    groups. Erased: NIK, exact birth date, street address, school, major, disability, the
    AK/I and Karirhub numbers.
    """
    trainee = _trainee(user)
    if trainee is None:
        return {}
    documents = list(trainee.documents.all())
    names = [d.file.name for d in documents]
    storage = Document._meta.get_field("file").storage
    Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    if trainee.birth_date:
        trainee.birth_date = datetime.date(trainee.birth_date.year, 1, 1)
    trainee.nik = None
    trainee.nik_warnings = []
    trainee.address = ""
    trainee.school = ""
    trainee.major = ""
    trainee.disability = ""
    trainee.ak1_number = ""
    trainee.karirhub_id = ""
    trainee.save()
    return {"documents": len(documents), "profile": 1}
