"""Demo data of the courses app, called by `manage.py seed_demo` (core).

`seed(rng, scale)` upserts the 12 tracks of the Smart Training Center, 2–4 programs per
track with plausible SKKNI units, and 3–5 cohorts per program placed around today
(finished, in training, open now or just closed, upcoming). `scale` N adds N-1 variants
of every program (evening class, weekend class, ...), each with its own cohorts, so
programs and cohorts grow N-fold. Everything is upserted in bulk on natural keys
(track slug, program slug, unit program+code, cohort code): running it again updates the
same rows, and on another day moves the demo dates to stay around that day.

Later issues extend the demo in their own app's `demo.py` (trainees before courses,
placements after; see core/management/commands/seed_demo.py).
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass, field

from django.utils import timezone

from core.choices import DocumentKind, EducationLevel
from courses.catalogue.services import catalogue_public_cache_bump
from courses.models import Cohort, CompetencyUnit, Program, Track

KTP, IJAZAH, KK, FOTO = (
    DocumentKind.KTP.value,
    DocumentKind.IJAZAH.value,
    DocumentKind.KK.value,
    DocumentKind.PHOTO.value,
)
SMP, SMA, SMK, D3 = (
    EducationLevel.SMP.value,
    EducationLevel.SMA.value,
    EducationLevel.SMK.value,
    EducationLevel.D3.value,
)
K3_UNIT = "Menerapkan Prosedur Keselamatan dan Kesehatan Kerja (K3) di Tempat Kerja"


@dataclass
class ProgramSpec:
    code: str
    slug: str
    title: str
    summary: str
    days: int
    jp: int
    units: list[tuple[str, str]]
    kkni: int | None = None
    scheme: str = ""
    ages: tuple[int | None, int | None] = (17, 35)
    education: str = SMA
    extra: str = ""
    documents: list[str] = field(default_factory=lambda: [KTP, IJAZAH, KK, FOTO])
    published: bool = True


@dataclass
class TrackSpec:
    slug: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    workshop: str
    programs: list[ProgramSpec]


TRACKS: list[TrackSpec] = [
    TrackSpec(
        "garmen-fashion",
        "Garmen dan Fashion Technology",
        "Garment & fashion technology",
        "Menjahit industri, pola digital dan produksi busana untuk pabrik garmen dan alas kaki.",
        "Industrial sewing, digital patterns and apparel production for garment and footwear plants.",
        "Workshop Garmen, Gedung B",
        [
            ProgramSpec(
                "JHT",
                "operator-mesin-jahit-industri",
                "Operator Mesin Jahit Industri",
                "Mengoperasikan mesin jahit high speed dan obras untuk produksi pakaian jadi.",
                30,
                240,
                [
                    ("C.141100.001.01", K3_UNIT),
                    ("C.141100.005.01", "Mengoperasikan Mesin Jahit Jarum Satu (Lockstitch)"),
                    ("C.141100.007.01", "Mengoperasikan Mesin Obras (Overlock)"),
                    ("C.141100.012.01", "Menjahit Komponen Pakaian"),
                    ("C.141100.020.01", "Memeriksa Mutu Hasil Jahitan"),
                ],
                kkni=2,
                scheme="Operator Jahit Industri",
                education=SMP,
                ages=(17, 40),
            ),
            ProgramSpec(
                "PLA",
                "pembuatan-pola-busana-digital",
                "Pembuatan Pola Busana Digital (CAD Garmen)",
                "Membuat dan menggradasi pola pakaian dengan perangkat lunak CAD garmen.",
                38,
                304,
                [
                    ("C.141100.030.01", "Mengukur Tubuh dan Membaca Lembar Spesifikasi"),
                    ("C.141100.032.02", "Membuat Pola Dasar dengan Perangkat Lunak CAD"),
                    ("C.141100.034.01", "Menggradasi Ukuran Pola (Grading)"),
                    ("C.141100.036.01", "Membuat Rencana Potong (Marker)"),
                ],
                kkni=3,
                scheme="Pembuat Pola Garmen",
                education=SMK,
            ),
            ProgramSpec(
                "SPT",
                "produksi-alas-kaki",
                "Produksi Alas Kaki (Sepatu Olahraga)",
                "Memotong, menjahit upper dan merakit sepatu sesuai standar pabrik alas kaki.",
                33,
                264,
                [
                    ("C.152000.001.01", K3_UNIT),
                    ("C.152000.004.01", "Memotong Bahan Upper Sepatu"),
                    ("C.152000.008.01", "Menjahit Upper Sepatu"),
                    ("C.152000.012.01", "Merakit Upper dan Sol (Lasting dan Cementing)"),
                ],
                kkni=2,
                scheme="Operator Produksi Alas Kaki",
                education=SMP,
            ),
        ],
    ),
    TrackSpec(
        "manufaktur",
        "Manufaktur",
        "Manufacturing",
        "Pemesinan CNC, pengelasan dan produksi kaca untuk industri di KEK Industropolis Batang.",
        "CNC machining, welding and glass production for the Batang industrial zone.",
        "Workshop Manufaktur, Gedung A",
        [
            ProgramSpec(
                "CNC",
                "operator-mesin-cnc",
                "Operator Mesin CNC Bubut dan Frais",
                "Membaca gambar teknik, menyetel dan mengoperasikan mesin CNC bubut dan frais.",
                40,
                320,
                [
                    ("C.282200.001.01", K3_UNIT),
                    ("C.282200.004.02", "Membaca Gambar Teknik Manufaktur"),
                    ("C.282200.010.01", "Mengukur dengan Alat Ukur Mekanik Presisi"),
                    ("C.282200.021.02", "Membuat Program CNC Dasar (G-code)"),
                    ("C.282200.023.02", "Mengoperasikan Mesin Bubut CNC"),
                    ("C.282200.025.02", "Mengoperasikan Mesin Frais CNC"),
                ],
                kkni=2,
                scheme="Operator Mesin CNC",
                education=SMK,
                extra="Tidak buta warna.\nSehat jasmani dan rohani.",
            ),
            ProgramSpec(
                "LAS",
                "juru-las-smaw",
                "Juru Las SMAW Posisi 3G",
                "Pengelasan busur manual pelat baja posisi datar, horizontal dan vertikal.",
                38,
                304,
                [
                    ("C.251100.001.01", K3_UNIT),
                    ("C.251100.006.01", "Menyiapkan Mesin dan Bahan Las SMAW"),
                    ("C.251100.011.02", "Mengelas Pelat Posisi Bawah Tangan (1G)"),
                    ("C.251100.013.02", "Mengelas Pelat Posisi Vertikal (3G)"),
                    ("C.251100.020.01", "Memeriksa Hasil Las Secara Visual"),
                ],
                kkni=2,
                scheme="Juru Las 3G SMAW",
                education=SMP,
                extra="Tidak buta warna.\nBersedia bekerja di lingkungan panas dan bising.",
            ),
            ProgramSpec(
                "KCA",
                "operator-produksi-kaca",
                "Operator Produksi Kaca Lembaran",
                "Proses produksi kaca float: bahan baku, peleburan, pemotongan dan inspeksi.",
                33,
                264,
                [
                    ("C.231100.001.01", K3_UNIT),
                    ("C.231100.003.01", "Menyiapkan Campuran Bahan Baku Kaca"),
                    ("C.231100.009.01", "Memantau Proses Peleburan dan Pembentukan Kaca"),
                    ("C.231100.014.01", "Memotong dan Mengemas Kaca Lembaran"),
                ],
                kkni=2,
                scheme="Operator Produksi Kaca",
                education=SMA,
                extra="Bersedia bekerja dengan sistem sif.",
            ),
            ProgramSpec(
                "QCM",
                "inspektor-mutu-manufaktur",
                "Inspektor Mutu (Quality Control) Produk Manufaktur",
                "Memeriksa mutu produk dengan alat ukur dan mencatat ketidaksesuaian.",
                33,
                264,
                [
                    ("C.282200.010.01", "Mengukur dengan Alat Ukur Mekanik Presisi"),
                    ("M.712000.002.01", "Melakukan Inspeksi Produk Sesuai Rencana Mutu"),
                    ("M.712000.005.01", "Mencatat dan Melaporkan Ketidaksesuaian Produk"),
                    ("M.712000.008.01", "Menerapkan Pengendalian Proses Statistik Dasar"),
                ],
                kkni=3,
                scheme="Inspektor Mutu Muda",
                education=SMK,
            ),
        ],
    ),
    TrackSpec(
        "elektronika",
        "Elektronika",
        "Electronics",
        "Perakitan, penyolderan dan perbaikan perangkat serta papan elektronik.",
        "Assembling, soldering and repairing electronic devices and boards.",
        "Workshop Elektronika, Gedung C",
        [
            ProgramSpec(
                "SMT",
                "perakitan-pcb-smt",
                "Perakitan Papan Rangkaian (PCB) dan SMT",
                "Menyolder komponen THT dan SMD serta mengoperasikan lini perakitan SMT.",
                35,
                280,
                [
                    ("C.261000.001.01", K3_UNIT),
                    ("C.261000.005.01", "Mengidentifikasi Komponen Elektronika"),
                    ("C.261000.009.02", "Menyolder Komponen pada Papan Rangkaian Tercetak"),
                    ("C.261000.014.01", "Mengoperasikan Mesin Pick and Place SMT"),
                    ("C.261000.018.01", "Menguji Papan Rangkaian Hasil Perakitan"),
                ],
                kkni=2,
                scheme="Operator Perakitan Elektronika",
                education=SMK,
                extra="Tidak buta warna.",
            ),
            ProgramSpec(
                "TRE",
                "teknisi-perbaikan-elektronika",
                "Teknisi Perbaikan Peralatan Elektronika",
                "Mendiagnosis dan memperbaiki peralatan elektronika rumah tangga dan industri.",
                40,
                320,
                [
                    ("C.261000.005.01", "Mengidentifikasi Komponen Elektronika"),
                    ("C.261000.021.01", "Menggunakan Alat Ukur Elektronika"),
                    ("S.952100.003.01", "Mendiagnosis Kerusakan Peralatan Elektronika"),
                    ("S.952100.006.01", "Memperbaiki Catu Daya dan Rangkaian Kendali"),
                ],
                kkni=3,
                scheme="Teknisi Elektronika Muda",
                education=SMK,
            ),
        ],
    ),
    TrackSpec(
        "multimedia-ti",
        "Multimedia dan Teknologi Informasi",
        "Multimedia & IT",
        "Pemrograman web, desain grafis dan jaringan komputer.",
        "Web programming, graphic design and computer networks.",
        "Laboratorium Komputer 1, Gedung D",
        [
            ProgramSpec(
                "JWD",
                "junior-web-developer",
                "Junior Web Developer",
                "Membangun situs web dinamis dengan HTML, CSS, JavaScript, PHP dan basis data.",
                35,
                280,
                [
                    ("J.620100.004.02", "Menggunakan Struktur Data"),
                    ("J.620100.005.02", "Mengimplementasikan User Interface"),
                    ("J.620100.017.02", "Mengimplementasikan Pemrograman Terstruktur"),
                    ("J.620100.019.02", "Menggunakan Library atau Komponen Pre-Existing"),
                    ("J.620100.025.02", "Melakukan Debugging"),
                ],
                kkni=4,
                scheme="Junior Web Developer",
                education=SMA,
                extra="Mampu mengoperasikan komputer.",
            ),
            ProgramSpec(
                "DGR",
                "desain-grafis-muda",
                "Desain Grafis Muda",
                "Membuat materi promosi cetak dan digital untuk UMKM dan industri.",
                30,
                240,
                [
                    ("M.741000.001.01", "Mengaplikasikan Prinsip Dasar Desain"),
                    ("M.741000.004.01", "Menerapkan Tipografi"),
                    ("M.741000.007.01", "Mengolah Gambar Bitmap dan Vektor"),
                    ("M.741000.010.01", "Menyiapkan Berkas Siap Cetak dan Siap Unggah"),
                ],
                kkni=2,
                scheme="Desainer Grafis Muda",
                education=SMA,
            ),
            ProgramSpec(
                "JNA",
                "junior-network-administrator",
                "Junior Network Administrator",
                "Memasang, mengonfigurasi dan merawat jaringan komputer kantor dan pabrik.",
                33,
                264,
                [
                    ("J.611000.001.01", "Memasang Perangkat Jaringan Lokal (LAN)"),
                    ("J.611000.004.02", "Mengonfigurasi Switch dan Router"),
                    ("J.611000.009.01", "Mengamankan Akses Jaringan Nirkabel"),
                    ("J.611000.012.01", "Memantau dan Memecahkan Masalah Jaringan"),
                ],
                kkni=3,
                scheme="Junior Network Administrator",
                education=SMK,
            ),
        ],
    ),
    TrackSpec(
        "otomasi-mekatronika",
        "Otomasi Industri / Mekatronika",
        "Industrial automation / mechatronics",
        "PLC, pneumatik, sensor dan robot industri untuk lini produksi otomatis.",
        "PLCs, pneumatics, sensors and industrial robots for automated production lines.",
        "Workshop Mekatronika, Gedung A",
        [
            ProgramSpec(
                "MKT",
                "mekatronika-pemrograman-plc",
                "Mekatronika: Pemrograman PLC",
                "Merancang, memprogram dan menguji sistem kendali berbasis PLC.",
                40,
                320,
                [
                    ("C.282900.001.01", K3_UNIT),
                    ("C.282900.006.02", "Membaca Diagram Kelistrikan dan Pneumatik"),
                    ("C.282900.011.02", "Memprogram PLC dengan Ladder Diagram"),
                    ("C.282900.015.01", "Memasang dan Menguji Sensor Industri"),
                    ("C.282900.019.01", "Mengintegrasikan PLC dengan HMI"),
                ],
                kkni=3,
                scheme="Teknisi Otomasi Industri Muda",
                education=SMK,
                ages=(18, 30),
                extra="Lulusan SMK jurusan listrik, elektronika, mesin atau mekatronika.",
            ),
            ProgramSpec(
                "PNM",
                "teknisi-pneumatik-hidrolik",
                "Teknisi Sistem Pneumatik dan Hidrolik",
                "Merakit, merawat dan memperbaiki sistem pneumatik dan hidrolik mesin produksi.",
                33,
                264,
                [
                    ("C.282900.006.02", "Membaca Diagram Kelistrikan dan Pneumatik"),
                    ("C.282900.024.01", "Merakit Rangkaian Pneumatik"),
                    ("C.282900.027.01", "Merakit Rangkaian Hidrolik"),
                    ("C.331200.003.01", "Merawat Sistem Fluida Mesin Produksi"),
                ],
                kkni=2,
                scheme="Teknisi Pneumatik",
                education=SMK,
            ),
            ProgramSpec(
                "ROB",
                "operator-robot-industri",
                "Operator Robot Industri",
                "Mengoperasikan dan mengajari (teaching) lengan robot pada sel produksi.",
                35,
                280,
                [
                    ("C.282900.001.01", K3_UNIT),
                    ("C.282900.031.01", "Mengoperasikan Robot Industri dengan Teach Pendant"),
                    ("C.282900.034.01", "Membuat Program Gerak Robot Sederhana"),
                    ("C.282900.037.01", "Merawat Robot Industri Secara Berkala"),
                ],
                kkni=3,
                scheme="Operator Robot Industri",
                education=SMK,
                ages=(18, 30),
            ),
        ],
    ),
    TrackSpec(
        "woodworking",
        "Woodworking (Pengolahan Kayu)",
        "Woodworking",
        "Pembuatan mebel dan produk kayu, dari pemotongan hingga finishing.",
        "Furniture and wood products, from cutting to finishing.",
        "Workshop Kayu, Gedung E",
        [
            ProgramSpec(
                "MBL",
                "pembuatan-mebel-kayu",
                "Pembuatan Mebel Kayu",
                "Membuat mebel kayu dengan mesin potong, serut dan sambungan konstruksi.",
                38,
                304,
                [
                    ("C.310010.001.01", K3_UNIT),
                    ("C.310010.004.01", "Membaca Gambar Kerja Mebel"),
                    ("C.310010.008.01", "Mengoperasikan Mesin Potong dan Serut Kayu"),
                    ("C.310010.012.01", "Membuat Sambungan Konstruksi Kayu"),
                    ("C.310010.016.01", "Merakit Komponen Mebel"),
                ],
                kkni=2,
                scheme="Tukang Mebel Kayu",
                education=SMP,
                ages=(17, 45),
            ),
            ProgramSpec(
                "FKY",
                "finishing-produk-kayu",
                "Finishing Produk Kayu",
                "Mengamplas, mewarnai dan melapisi produk kayu sesuai standar ekspor.",
                30,
                240,
                [
                    ("C.310010.001.01", K3_UNIT),
                    ("C.162900.005.01", "Menyiapkan Permukaan Kayu"),
                    ("C.162900.009.01", "Mewarnai Permukaan Kayu"),
                    ("C.162900.013.01", "Melapisi Produk Kayu dengan Spray Gun"),
                ],
                kkni=2,
                scheme="Operator Finishing Kayu",
                education=SMP,
                ages=(17, 45),
            ),
        ],
    ),
    TrackSpec(
        "smart-building",
        "Smart Building and Infrastructure",
        "Smart building & infrastructure",
        "Instalasi listrik gedung, sistem gedung pintar dan gambar kerja berbasis BIM.",
        "Building wiring, smart-building systems and BIM drawings.",
        "Workshop Bangunan Cerdas, Gedung F",
        [
            ProgramSpec(
                "ILG",
                "instalasi-listrik-gedung",
                "Instalasi Listrik Bangunan Gedung",
                "Memasang instalasi penerangan dan tenaga sesuai PUIL pada bangunan gedung.",
                40,
                320,
                [
                    ("F.432100.001.01", K3_UNIT),
                    ("F.432100.004.02", "Membaca Gambar Instalasi Listrik"),
                    ("F.432100.009.02", "Memasang Instalasi Penerangan"),
                    ("F.432100.012.02", "Memasang Panel Hubung Bagi Tegangan Rendah"),
                    ("F.432100.017.01", "Menguji Tahanan Isolasi dan Pentanahan"),
                ],
                kkni=2,
                scheme="Instalatir Listrik Gedung",
                education=SMK,
                extra="Tidak buta warna.",
            ),
            ProgramSpec(
                "BAS",
                "teknisi-gedung-pintar",
                "Teknisi Sistem Gedung Pintar (Building Automation)",
                "Memasang dan mengonfigurasi sensor, kendali pencahayaan dan sistem BAS.",
                35,
                280,
                [
                    ("F.432100.004.02", "Membaca Gambar Instalasi Listrik"),
                    ("F.432900.006.01", "Memasang Sensor dan Aktuator Gedung"),
                    ("F.432900.010.01", "Mengonfigurasi Pengendali Sistem Otomasi Gedung"),
                    ("F.432900.014.01", "Memantau Energi Gedung melalui Dasbor"),
                ],
                kkni=3,
                scheme="Teknisi Otomasi Gedung Muda",
                education=SMK,
            ),
            ProgramSpec(
                "BIM",
                "drafter-bim",
                "Drafter Bangunan Gedung dengan BIM",
                "Membuat model dan gambar kerja bangunan gedung dengan perangkat lunak BIM.",
                38,
                304,
                [
                    ("M.711000.002.01", "Menerapkan Standar Gambar Teknik Bangunan"),
                    ("M.711000.007.02", "Membuat Model Arsitektur 3D Berbasis BIM"),
                    ("M.711000.011.01", "Membuat Gambar Kerja dari Model BIM"),
                    ("M.711000.015.01", "Menghitung Volume Pekerjaan dari Model"),
                ],
                kkni=4,
                scheme="Drafter BIM Muda",
                education=SMK,
                extra="Lulusan SMK teknik bangunan/arsitektur atau D3 teknik sipil.",
            ),
        ],
    ),
    TrackSpec(
        "otomotif-kendaraan-listrik",
        "Otomotif Kendaraan Listrik",
        "Electric-vehicle automotive",
        "Perawatan kendaraan listrik dan perakitan baterai untuk industri kendaraan listrik.",
        "Electric-vehicle maintenance and battery assembly for the EV industry.",
        "Workshop Otomotif, Gedung G",
        [
            ProgramSpec(
                "SML",
                "perawatan-sepeda-motor-listrik",
                "Perawatan Sepeda Motor Listrik",
                "Merawat dan memperbaiki sepeda motor listrik serta konversi motor bensin.",
                35,
                280,
                [
                    ("G.454000.001.01", K3_UNIT),
                    ("G.454000.006.01", "Memeriksa Sistem Kelistrikan Sepeda Motor Listrik"),
                    ("G.454000.010.01", "Merawat Motor Penggerak dan Pengendali (Controller)"),
                    ("G.454000.014.01", "Memeriksa dan Mengisi Baterai dengan Aman"),
                ],
                kkni=2,
                scheme="Mekanik Sepeda Motor Listrik",
                education=SMK,
            ),
            ProgramSpec(
                "BAT",
                "perakitan-baterai-kendaraan-listrik",
                "Perakitan dan Pengujian Baterai Kendaraan Listrik",
                "Merakit modul dan paket baterai litium serta mengujinya sesuai prosedur.",
                38,
                304,
                [
                    ("C.272000.001.01", "Menerapkan K3 Penanganan Baterai Litium"),
                    ("C.272000.005.01", "Merakit Sel Baterai menjadi Modul"),
                    ("C.272000.009.01", "Memasang Sistem Manajemen Baterai (BMS)"),
                    ("C.272000.013.01", "Menguji Kapasitas dan Keamanan Paket Baterai"),
                ],
                kkni=3,
                scheme="Operator Perakitan Baterai",
                education=SMK,
                ages=(18, 30),
                extra="Tidak buta warna.",
            ),
            ProgramSpec(
                "MOL",
                "teknisi-mobil-listrik",
                "Teknisi Mobil Listrik (Sistem Tegangan Tinggi)",
                "Bekerja aman pada sistem tegangan tinggi mobil listrik dan hibrida.",
                40,
                320,
                [
                    ("G.452000.002.01", "Menerapkan Prosedur Kerja Aman Tegangan Tinggi"),
                    ("G.452000.007.01", "Mendiagnosis Sistem Penggerak Listrik"),
                    ("G.452000.011.01", "Merawat Sistem Pendingin Baterai"),
                    ("G.452000.015.01", "Menggunakan Alat Diagnosis Kendaraan (Scan Tool)"),
                ],
                kkni=3,
                scheme="Teknisi Kendaraan Listrik Muda",
                education=SMK,
                ages=(18, 30),
                published=False,  # a draft, to show staff previews
            ),
        ],
    ),
    TrackSpec(
        "energi-terbarukan",
        "Green Energy (Energi Terbarukan)",
        "Green energy",
        "Pemasangan dan perawatan pembangkit listrik tenaga surya dan biogas.",
        "Installing and maintaining solar power and biogas systems.",
        "Workshop Energi Terbarukan, Gedung F",
        [
            ProgramSpec(
                "PLT",
                "instalasi-plts-atap",
                "Instalasi Pembangkit Listrik Tenaga Surya (PLTS) Atap",
                "Merancang, memasang dan menguji PLTS atap on-grid dan off-grid.",
                35,
                280,
                [
                    ("D.351100.001.01", K3_UNIT),
                    ("D.351100.005.02", "Menghitung Kebutuhan Daya dan Jumlah Modul Surya"),
                    ("D.351100.009.02", "Memasang Modul Surya dan Penyangga"),
                    ("D.351100.013.01", "Memasang Inverter dan Sistem Proteksi"),
                    ("D.351100.017.01", "Menguji dan Menyerahkan Sistem PLTS"),
                ],
                kkni=3,
                scheme="Instalatir PLTS",
                education=SMK,
                extra="Tidak takut ketinggian.",
            ),
            ProgramSpec(
                "BGS",
                "operator-instalasi-biogas",
                "Operator Instalasi Biogas",
                "Membangun dan mengoperasikan instalasi biogas skala rumah tangga dan peternakan.",
                30,
                240,
                [
                    ("D.352000.002.01", "Memilih Lokasi dan Ukuran Reaktor Biogas"),
                    ("D.352000.006.01", "Membangun Reaktor Biogas Kubah Tetap"),
                    ("D.352000.010.01", "Mengoperasikan dan Merawat Instalasi Biogas"),
                ],
                kkni=2,
                scheme="Operator Biogas",
                education=SMP,
                ages=(17, 45),
            ),
        ],
    ),
    TrackSpec(
        "healthy-food-beverage",
        "Healthy Food and Beverage",
        "Healthy food & beverage",
        "Pengolahan roti, makanan dan minuman sehat dari bahan pangan lokal Batang.",
        "Bakery, healthy food and drinks from local Batang produce.",
        "Dapur Pelatihan, Gedung H",
        [
            ProgramSpec(
                "RTI",
                "pembuatan-roti-dan-kue-sehat",
                "Pembuatan Roti dan Kue Sehat",
                "Membuat roti dan kue rendah gula dan berserat tinggi untuk usaha dan industri.",
                30,
                240,
                [
                    ("C.107100.001.01", "Menerapkan Keamanan Pangan dan Higiene Sanitasi"),
                    ("C.107100.004.01", "Menyiapkan Bahan dan Peralatan Pembuatan Roti"),
                    ("C.107100.008.01", "Membuat Adonan dan Produk Roti"),
                    ("C.107100.012.01", "Membuat Kue dari Tepung Lokal"),
                ],
                kkni=2,
                scheme="Pembuat Roti dan Kue",
                education=SMP,
                ages=(17, 45),
                documents=[KTP, IJAZAH, FOTO],
            ),
            ProgramSpec(
                "BRS",
                "barista-dan-minuman-sehat",
                "Barista dan Minuman Sehat",
                "Menyajikan kopi dan minuman sehat berbahan rempah dengan standar kafe.",
                25,
                200,
                [
                    ("I.563000.001.01", "Menerapkan Higiene Sanitasi di Area Bar"),
                    ("I.563000.005.01", "Mengoperasikan Mesin Espresso"),
                    ("I.563000.009.01", "Menyajikan Minuman Kopi dan Rempah"),
                    ("I.563000.013.01", "Melayani Pelanggan"),
                ],
                kkni=2,
                scheme="Barista",
                education=SMA,
                ages=(17, 30),
                documents=[KTP, IJAZAH, FOTO],
            ),
            ProgramSpec(
                "PMS",
                "pengolahan-makanan-sehat",
                "Pengolahan Makanan Sehat Berbahan Pangan Lokal",
                "Mengolah hasil tani dan laut Batang menjadi produk makanan sehat yang bernilai jual.",
                30,
                240,
                [
                    ("C.107100.001.01", "Menerapkan Keamanan Pangan dan Higiene Sanitasi"),
                    ("C.107900.003.01", "Mengolah Bahan Pangan Lokal dengan Metode Sehat"),
                    ("C.107900.007.01", "Mengemas dan Melabeli Produk Pangan"),
                    ("C.107900.011.01", "Menghitung Harga Pokok Produksi"),
                ],
                kkni=2,
                scheme="Pengolah Pangan",
                education="",
                ages=(17, None),
                documents=[KTP, FOTO],
                extra="Terbuka untuk pelaku UMKM pangan di Kabupaten Batang.",
            ),
        ],
    ),
    TrackSpec(
        "artificial-intelligence",
        "Artificial Intelligence",
        "Artificial intelligence",
        "Analisis data dan dasar kecerdasan artifisial untuk industri.",
        "Data analysis and AI foundations for industry.",
        "Laboratorium Komputer 2, Gedung D",
        [
            ProgramSpec(
                "DAT",
                "junior-data-analyst",
                "Junior Data Analyst",
                "Mengumpulkan, membersihkan dan memvisualisasikan data produksi dan penjualan.",
                35,
                280,
                [
                    ("J.631100.001.01", "Mengumpulkan Data dari Berbagai Sumber"),
                    ("J.631100.004.01", "Membersihkan dan Menyiapkan Data"),
                    ("J.631100.008.01", "Menganalisis Data dengan Statistik Deskriptif"),
                    ("J.631100.012.01", "Membuat Visualisasi dan Dasbor Data"),
                ],
                kkni=4,
                scheme="Associate Data Analyst",
                education=SMA,
                extra="Mampu mengoperasikan komputer dan lembar kerja (spreadsheet).",
            ),
            ProgramSpec(
                "AIP",
                "dasar-machine-learning",
                "Dasar Machine Learning untuk Industri",
                "Membangun model machine learning sederhana dengan Python untuk data industri.",
                38,
                304,
                [
                    ("J.620100.017.02", "Mengimplementasikan Pemrograman Terstruktur"),
                    ("J.631100.004.01", "Membersihkan dan Menyiapkan Data"),
                    ("J.620900.021.01", "Membangun Model Machine Learning Terarah"),
                    ("J.620900.025.01", "Mengevaluasi Kinerja Model"),
                ],
                kkni=5,
                scheme="Asisten Pengembang AI",
                education=D3,
                ages=(18, 35),
                extra="Menguasai dasar pemrograman (diuji saat seleksi).",
            ),
        ],
    ),
    TrackSpec(
        "bahasa",
        "Bahasa",
        "Languages",
        "Bahasa Inggris, Korea dan Jepang untuk kerja di perusahaan asing dan pemagangan.",
        "English, Korean and Japanese for work at foreign companies and apprenticeships.",
        "Ruang Bahasa, Gedung D",
        [
            ProgramSpec(
                "ING",
                "bahasa-inggris-industri",
                "Bahasa Inggris untuk Kerja di Industri",
                "Berkomunikasi dalam bahasa Inggris di lantai produksi dan saat wawancara kerja.",
                25,
                200,
                [
                    ("P.854900.001.01", "Berkomunikasi Lisan dalam Situasi Kerja Sehari-hari"),
                    ("P.854900.004.01", "Membaca Instruksi Kerja dan Label Keselamatan"),
                    ("P.854900.008.01", "Menulis Laporan Singkat dan Surel"),
                ],
                education=SMA,
                documents=[KTP, IJAZAH, FOTO],
            ),
            ProgramSpec(
                "KOR",
                "bahasa-korea-kerja",
                "Bahasa Korea untuk Kerja",
                "Persiapan bahasa Korea untuk perusahaan Korea di KITB dan ujian EPS-TOPIK.",
                30,
                240,
                [
                    ("P.854900.021.01", "Membaca dan Menulis Hangeul"),
                    ("P.854900.024.01", "Berkomunikasi Lisan dalam Bahasa Korea Dasar"),
                    ("P.854900.027.01", "Memahami Istilah dan Budaya Kerja Korea"),
                ],
                education=SMA,
                ages=(18, 39),
                documents=[KTP, IJAZAH, FOTO],
            ),
            ProgramSpec(
                "JPG",
                "bahasa-jepang-pemagangan",
                "Bahasa Jepang untuk Pemagangan",
                "Bahasa dan budaya kerja Jepang sebagai bekal program pemagangan ke Jepang.",
                40,
                320,
                [
                    ("P.854900.041.01", "Membaca dan Menulis Hiragana dan Katakana"),
                    ("P.854900.044.01", "Berkomunikasi Lisan Setara JLPT N5"),
                    ("P.854900.047.01", "Menerapkan Budaya Kerja Jepang (5S dan Hou-Ren-Sou)"),
                ],
                education=SMA,
                ages=(18, 30),
                extra="Sehat jasmani dan rohani, tinggi badan minimal 155 cm (syarat pemagangan).",
            ),
        ],
    ),
]

VARIANTS = [
    ("kelas-sore", "Kelas Sore", "Senin–Jumat, 15.00–21.00 WIB"),
    ("akhir-pekan", "Kelas Akhir Pekan", "Sabtu–Minggu, 08.00–16.00 WIB"),
    ("kemitraan-industri", "Kemitraan Industri KITB", "Senin–Jumat, 07.30–15.30 WIB"),
    ("mtu", "Mobile Training Unit", "Senin–Jumat, 08.00–15.00 WIB, di balai desa"),
    ("inklusif", "Kelas Inklusif", "Senin–Jumat, 08.00–15.00 WIB"),
    ("perempuan", "Kelas Perempuan", "Senin–Jumat, 08.00–15.00 WIB"),
]
DAY_SCHEDULE = "Senin–Jumat, 08.00–16.00 WIB"
WIB = datetime.timezone(datetime.timedelta(hours=7))


def _variants(spec: ProgramSpec, scale: int):
    """(code, slug, title, schedule) of the program and its scale-1 variants."""
    yield spec.code, spec.slug, spec.title, DAY_SCHEDULE
    for n in range(2, scale + 1):
        slug_part, label, schedule = VARIANTS[(n - 2) % len(VARIANTS)]
        round_ = (n - 2) // len(VARIANTS)
        suffix = f" {round_ + 1}" if round_ else ""
        yield (
            f"{spec.code}{n}",
            f"{spec.slug}-{slug_part}{'-' + str(round_ + 1) if round_ else ''}",
            f"{spec.title} — {label}{suffix}",
            schedule,
        )


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=-day.weekday() % 7)


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def _cohort_plan(rng: random.Random, training_days: int, today: datetime.date):
    """Dates of 3–5 intakes around `today`: (start, end, opens, closes, reregistration).

    In order: one finished, one in training, one open now (or, for some programs, just
    closed with selection under way), one or two upcoming.
    """
    days = datetime.timedelta
    weeks = -(-training_days // 5)
    length = days(weeks * 7 - 3)  # Monday of the first week to Friday of the last
    window = [14, 21, 28]
    intakes = []  # (start, closes_day, opens_day)

    start = _monday_on_or_after(today - days(rng.randint(150, 220)))
    intakes.append((start, start - days(10), start - days(10 + rng.choice(window))))

    start = _monday_on_or_before(today - days(rng.randint(0, max(0, length.days - 7))))
    intakes.append((start, start - days(10), start - days(10 + rng.choice(window))))

    if rng.random() < 0.7:  # registration open now, for a few more days
        start = _monday_on_or_after(today + days(rng.randint(18, 35)))
        intakes.append((start, start - days(10), today - days(rng.randint(2, 10))))
    else:  # registration closed a day or three ago, selection under way
        start = _monday_on_or_after(today + days(rng.randint(5, 12)))
        closes_day = today - days(rng.randint(1, 3))
        intakes.append((start, closes_day, closes_day - days(rng.choice(window))))

    upcoming = [(60, 90)] + ([(120, 160)] if rng.random() < 0.5 else [])
    for low, high in upcoming:
        start = _monday_on_or_after(today + days(rng.randint(low, high)))
        intakes.append((start, start - days(10), start - days(10 + rng.choice(window))))

    return [
        (start, start + length, _at(opens, 8), _at(closes, 16), _at(closes + days(5), 15))
        for start, closes, opens in intakes
    ]


def seed(rng: random.Random, scale: int = 1) -> dict[str, int]:
    """Upsert the demo catalogue; return the number of rows of each kind it wrote."""
    today = timezone.localdate()
    year = today.year
    # One generator per program, so a program's intakes do not depend on --scale.
    salt = rng.getrandbits(32)
    tracks = [
        Track(
            slug=t.slug,
            name_id=t.name_id,
            name_en=t.name_en,
            description_id=t.description_id,
            description_en=t.description_en,
            position=(i + 1) * 10,
        )
        for i, t in enumerate(TRACKS)
    ]
    Track.objects.bulk_create(
        tracks,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=["name_id", "name_en", "description_id", "description_en", "position"],
    )
    track_ids = dict(Track.objects.values_list("slug", "pk"))

    programs, unit_rows, cohort_rows = [], [], []
    for t in TRACKS:
        for spec in t.programs:
            for code, slug, title, schedule in _variants(spec, scale):
                programs.append(
                    Program(
                        track_id=track_ids[t.slug],
                        code=code,
                        slug=slug,
                        title=title,
                        summary=spec.summary,
                        description=(
                            f"{spec.summary} Pelatihan ini gratis, berbasis kompetensi "
                            "dan diakhiri uji kompetensi oleh LSP berlisensi BNSP.\n\n"
                            "Peserta yang lulus mendapat sertifikat pelatihan dan dibantu "
                            "penempatan kerja ke perusahaan di kawasan industri Batang."
                        ),
                        kkni_level=spec.kkni,
                        certification_scheme=spec.scheme,
                        duration_days=spec.days,
                        lesson_hours=spec.jp,
                        min_age=spec.ages[0],
                        max_age=spec.ages[1],
                        min_education=spec.education,
                        extra_requirements=spec.extra,
                        required_documents=spec.documents,
                        is_published=spec.published,
                    )
                )
                for position, (unit_code, unit_title) in enumerate(spec.units, start=1):
                    unit_rows.append((slug, unit_code, unit_title, position))
                program_rng = random.Random(f"{salt}:{slug}")
                capacity = program_rng.choice([16, 16, 16, 20, 24])
                written = program_rng.random() < 0.8
                plan = _cohort_plan(program_rng, spec.days, today)
                for number, (start, end, opens, closes, rereg) in enumerate(plan, start=1):
                    cohort_rows.append(
                        {
                            "slug": slug,
                            "code": f"{code}-{year}-{number:02d}",
                            "training_start": start,
                            "training_end": end,
                            "registration_opens_at": opens,
                            "registration_closes_at": closes,
                            "reregistration_deadline": rereg,
                            "capacity": capacity,
                            "location": f"{t.workshop}, STC Batang, Kandeman",
                            "schedule": schedule,
                            "uses_document_check": True,
                            "uses_written_test": written,
                            "uses_interview": True,
                            # now and then a far intake is called off, to show the state
                            "is_cancelled": number == 5 and program_rng.random() < 0.2,
                            # the public tie-break seed, the same on every machine
                            "selection_seed": hashlib.sha256(
                                f"demo-seed:{code}-{year}-{number:02d}".encode()
                            ).hexdigest()[:16],
                        }
                    )
    Program.objects.bulk_create(
        programs,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["slug"],
        update_fields=[
            "track",
            "code",
            "title",
            "summary",
            "description",
            "kkni_level",
            "certification_scheme",
            "duration_days",
            "lesson_hours",
            "min_age",
            "max_age",
            "min_education",
            "extra_requirements",
            "required_documents",
            "is_published",
            "updated_at",
        ],
    )
    program_ids = dict(
        Program.objects.filter(slug__in=[p.slug for p in programs]).values_list("slug", "pk")
    )
    CompetencyUnit.objects.bulk_create(
        [
            CompetencyUnit(program_id=program_ids[slug], code=code, title=title, position=pos)
            for slug, code, title, pos in unit_rows
        ],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["program", "code"],
        update_fields=["title", "position"],
    )
    Cohort.objects.bulk_create(
        [Cohort(program_id=program_ids[row.pop("slug")], **row) for row in cohort_rows],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "program",
            "training_start",
            "training_end",
            "registration_opens_at",
            "registration_closes_at",
            "reregistration_deadline",
            "capacity",
            "location",
            "schedule",
            "uses_document_check",
            "uses_written_test",
            "uses_interview",
            "is_cancelled",
            "updated_at",
        ],
    )
    catalogue_public_cache_bump()

    return {
        "tracks": len(tracks),
        "programs": len(programs),
        "competency units": len(unit_rows),
        "cohorts": len(cohort_rows),
    }
