"""Where a job seeker lives: Kabupaten Batang and its kecamatan, the neighbouring regencies.

Domicile in Batang (priority under Perbup Batang 42/2021) is derived from this address,
never from the NIK prefix, which only says where the NIK was first issued.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

BATANG = "3325"


class Regency(models.TextChoices):
    """Kabupaten/kota of the address: Batang, its catchment, anything else."""

    BATANG = "3325", "Kabupaten Batang"
    PEKALONGAN = "3326", "Kabupaten Pekalongan"
    KOTA_PEKALONGAN = "3375", "Kota Pekalongan"
    KENDAL = "3324", "Kabupaten Kendal"
    PEMALANG = "3327", "Kabupaten Pemalang"
    OTHER = "other", _("Another regency or city")


class Kecamatan(models.TextChoices):
    """The 15 kecamatan of Kabupaten Batang (code 33.25.xx)."""

    WONOTUNGGAL = "332501", "Wonotunggal"
    BANDAR = "332502", "Bandar"
    BLADO = "332503", "Blado"
    REBAN = "332504", "Reban"
    BAWANG = "332505", "Bawang"
    TERSONO = "332506", "Tersono"
    GRINGSING = "332507", "Gringsing"
    LIMPUNG = "332508", "Limpung"
    SUBAH = "332509", "Subah"
    TULIS = "332510", "Tulis"
    BATANG = "332511", "Batang"
    WARUNGASEM = "332512", "Warungasem"
    KANDEMAN = "332513", "Kandeman"
    PECALUNGAN = "332514", "Pecalungan"
    BANYUPUTIH = "332515", "Banyuputih"


def domicile_in_batang(regency: str | None) -> bool:
    return regency == BATANG
