"""vCard 3.0 text for contact cards, so staff can save a contact with one tap."""

from __future__ import annotations

from bot.knowledge import Contact


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")
    )


def vcard(contact: Contact, organisation: str = "") -> str:
    """The contact as vCard 3.0: name, organisation, phone, e-mail, website, address."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(contact.name)}"]
    lines.append(f"N:;{_escape(contact.name)};;;")
    lines.append(f"ORG:{_escape(organisation or contact.name)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{contact.phone_e164}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{contact.email}")
    if contact.website:
        lines.append(f"URL:{contact.website}")
    if contact.address:
        lines.append(f"ADR;TYPE=WORK:;;{_escape(contact.address)};;;;Norge")
    lines.append("END:VCARD")
    return "\r\n".join(lines)
