# Indonesian dates the way they are written in letters and on government sites:
# "17 Agustus 2025", "17 Agustus 2025, 14.30" (Django's own uses "17 Agu. 2025").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
