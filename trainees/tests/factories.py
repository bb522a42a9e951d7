import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import User
from core.tests.files import pdf_bytes
from trainees.models import Document, Trainee
from trainees.nik import nik_compose


def _image_bytes(format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(out, format=format)
    return out.getvalue()


# Small real files of each type (they pass the sanitiser of core.uploads).
PDF_BYTES = pdf_bytes()
PNG_BYTES = _image_bytes("PNG")
JPEG_BYTES = _image_bytes("JPEG")


def pdf_upload(name="ktp.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="foto.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def jpeg_upload(name="ijazah.jpg"):
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def fake_upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"pencari{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Pencari Kerja {n}")
    # A number is a login, one account each (0812-0000-0001, …).
    phone = factory.Sequence(lambda n: f"+62812{n % 10**8:08d}")
    role = User.Role.JOB_SEEKER
    password = factory.PostGenerationMethodCall("set_password", "rahasia-panjang-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staf{n}@stc-batang.id")
    role = User.Role.STAFF
    is_staff = True
    is_superuser = True


class TrainerFactory(UserFactory):
    """An instructor's account: no admin access, attendance of their intakes only."""

    email = factory.Sequence(lambda n: f"pelatih{n}@stc-batang.id")
    full_name = factory.Sequence(lambda n: f"Pelatih {n}")
    role = User.Role.TRAINER

    @factory.post_generation
    def role_group(obj, create, extracted, **kwargs):
        """In the Trainer group, as every trainer account is (core.roles)."""
        if create:
            from core.roles import account_groups_sync

            account_groups_sync(obj)


class TraineeFactory(factory.django.DjangoModelFactory):
    """An empty profile, as right after sign-up."""

    class Meta:
        model = Trainee

    user = factory.SubFactory(UserFactory)


class CompleteTraineeFactory(TraineeFactory):
    """A profile with every fact filled in, living in Kandeman (no documents)."""

    birth_date = datetime.date(2002, 5, 17)
    gender = "male"
    nik = factory.Sequence(
        lambda n: nik_compose(
            birth_date=datetime.date(2002, 5, 17), gender="male", serial=n % 9999 + 1
        )
    )
    address = "Jl. Raya Kandeman RT 02/RW 03, Desa Tragung"
    regency = "3325"
    kecamatan = "332513"
    domicile_in_batang = True
    education_level = "smk"
    major = "Teknik Elektronika"
    school = "SMK Negeri 1 Batang"
    graduation_year = 2020
    current_activity = "looking_for_work"
    consent_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    trainee = factory.SubFactory(TraineeFactory)
    kind = "ktp"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    original_name = "ktp.pdf"
    file = factory.LazyFunction(lambda: SimpleUploadedFile("x.pdf", PDF_BYTES))

    class Params:
        # A photographed document: `DocumentFactory(kind="ijazah", png=True)`.
        png = factory.Trait(
            content_type="image/png",
            original_name=factory.LazyAttribute(lambda o: f"{o.kind}.png"),
            size=len(PNG_BYTES),
            file=factory.LazyAttribute(lambda o: SimpleUploadedFile(f"{o.kind}.png", PNG_BYTES)),
        )


def sign_up_post(**overrides):
    """A valid job seeker's sign-up form post; `overrides` change fields."""
    return {
        "full_name": "Siti",
        "email": "siti@example.com",
        "phone": "081234567890",
        "password": "batik-kandeman-77",
        **overrides,
    }


def profile_post(**overrides):
    """A complete, valid profile form post (a Batang address); `overrides` change fields."""
    data = {
        "full_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "nik": "3325135705020002",
        "birth_date": "2002-05-17",
        "gender": "female",
        "address": "Jl. Pemuda 5",
        "regency": "3325",
        "kecamatan": "332513",
        "education_level": "smk",
        "major": "Tata Busana",
        "school": "SMK N 1 Batang",
        "graduation_year": "2020",
        "current_activity": "looking_for_work",
        "disability": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def profile_submit(client, trainee=None, **overrides):
    """Post the profile form (`profile_post(**overrides)`) as `trainee`, a new one by default."""
    trainee = trainee or TraineeFactory()
    client.force_login(trainee.user)
    return trainee, client.post(reverse("trainees:profile"), profile_post(**overrides))
