"""Input shapes of the welfare app: per-field checks only, no writes."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.phone import phone_is_mobile, phone_normalize

from .models import PayeeMethod

# Indonesian bank account numbers run from 7 (some BPR) to 18 digits (virtual accounts
# excepted); the treasurer types them into the bank's system as digits only.
BANK_ACCOUNT_RE = re.compile(r"^\d{7,18}$")
BANKS = ["BRI", "BNI", "Mandiri", "BTN", "BSI", "BCA", "Bank Jateng", "BPR BKK Batang"]
EWALLETS = ["GoPay", "OVO", "DANA", "ShopeePay", "LinkAja"]


class PayeeSelfForm(forms.Form):
    """The trainee's own allowance account: a bank account or an e-wallet's number."""

    method = forms.ChoiceField(
        label=_("Paid into"), choices=PayeeMethod.choices, widget=forms.RadioSelect
    )
    provider = forms.CharField(
        label=_("Bank or e-wallet"),
        max_length=60,
        help_text=_("E.g. BRI, Bank Jateng, BSI, or DANA, GoPay, OVO."),
        widget=forms.TextInput(attrs={"list": "payee-providers", "autocomplete": "off"}),
    )
    account_number = forms.CharField(
        label=_("Account number, or the e-wallet's phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    account_name = forms.CharField(
        label=_("Account holder (as the bank or e-wallet shows it)"),
        max_length=120,
        help_text=_("In your own name: staff check it against your KTP before paying."),
    )

    def clean(self):
        cleaned = super().clean()
        number = re.sub(r"[\s.-]", "", cleaned.get("account_number") or "")
        method = cleaned.get("method")
        if not number or not method:
            return cleaned
        if method == PayeeMethod.BANK:
            if not BANK_ACCOUNT_RE.match(number):
                self.add_error(
                    "account_number",
                    forms.ValidationError(
                        _("A bank account number has 7 to 18 digits (spaces and dashes allowed)."),
                        code="bank_account",
                    ),
                )
                return cleaned
            cleaned["account_number"] = number
        else:
            phone = phone_normalize(number)
            if phone is None or not phone_is_mobile(phone):
                self.add_error(
                    "account_number",
                    forms.ValidationError(
                        _("An e-wallet is paid to its mobile number, e.g. 0812 3456 7890."),
                        code="ewallet_phone",
                    ),
                )
                return cleaned
            cleaned["account_number"] = "0" + phone.removeprefix("+62")
        return cleaned

    @classmethod
    def initial_for(cls, payee) -> dict:
        if payee is None:
            return {"method": PayeeMethod.BANK}
        return {
            "method": payee.method,
            "provider": payee.provider,
            "account_number": payee.account_number,
            "account_name": payee.account_name,
        }
