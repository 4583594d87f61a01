"""Participants stay anonymous: keys pseudonymised on reading, small groups suppressed.

The participant key (an e-mail, an id, a name) is replaced, as soon as a cell is read, by
HMAC-SHA256 under a secret key. By default the secret is drawn at random for each run and never
stored: the pseudonyms link a person's answers across the sources of that run (pre- and
post-test, follow-up) and mean nothing afterwards, even to someone who guesses e-mails. Setting
``ROICLI_PSEUDONYM_KEY`` (at least 16 characters, kept like a password) makes them the same
from run to run, for linking over time; roicli still writes none of them in a report.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from roicli.errors import ConfigError

KEY_ENV_VAR = "ROICLI_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
_DIGEST_HEX = 16  # 64 bits: no collision among millions of participants
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Headers of columns that identify a person: never read as answers.
_PERSONAL = re.compile(
    r"\b(?:e-?mail|courriel|mbox|(?:first|last|full|given|family|user|sur|nick)\s*name|name|"
    r"nom|pr[ée]nom|anoname|ip(?:\s*address)?|adresse\s*ip|ip-adresse|phone|t[ée]l[ée]phone|"
    r"recipient\w*|location\s*(?:latitude|longitude|accuracy)|latitude|longitude)\b",
    re.IGNORECASE,
)
# Headers of questions answered with people's names: "who", or a person's role in training.
# "who"/"qui" only as a question (at the start, or after "with", "avec"…), not as a relative
# pronoun ("Qu'est-ce qui…"); "mentoring", "coaching", "parrainage" name no one.
_PERSON_ROLE = re.compile(
    r"(?:^|[.:;?!)\]–-]\s*)(?:who|whom|qui)\b"
    r"|\b(?:with|to|by|from|for)\s+whom?\b"
    r"|\b(?:avec|à|par|de|pour|chez|auprès\s+de)\s+qui\b"
    r"|\b(?:mentors?|mentees?|coach(?:es)?|tutors?|trainers?|managers?|supervisors?"
    r"|budd(?:y|ies)|instructors?|facilitators?|teachers?)\b"
    r"|\b(?:tut(?:eur|rice)|format(?:eur|rice)|parrain(?!age)|marraine|mentor[ée]"
    r"|responsable|encadrant|animat(?:eur|rice)|enseignant)",
    re.IGNORECASE,
)


def normalise_key(raw: str) -> str:
    """A participant key as compared: NFC, case-folded, spaces collapsed; "mailto:" dropped."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip().casefold()
    return text.removeprefix("mailto:").strip()


@dataclass(frozen=True)
class Pseudonymiser:
    """Turns participant keys into pseudonyms under one secret; its repr shows no secret."""

    secret: bytes = field(repr=False)
    stable: bool  # the secret came from ROICLI_PSEUDONYM_KEY

    def __call__(self, raw: str) -> str | None:
        """The pseudonym of a key ("p-" and 16 hex digits); None for an empty key."""
        key = normalise_key(raw)
        if not key:
            return None
        digest = hmac.new(self.secret, key.encode("utf-8"), hashlib.sha256).hexdigest()
        return "p-" + digest[:_DIGEST_HEX]


def pseudonymiser(environ: Mapping[str, str] | None = None) -> Pseudonymiser:
    """The run's pseudonymiser: the key in ``ROICLI_PSEUDONYM_KEY``, else a random one."""
    given = (os.environ if environ is None else environ).get(KEY_ENV_VAR)
    if not given:
        return Pseudonymiser(secrets.token_bytes(32), stable=False)
    if len(given) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"${KEY_ENV_VAR} is shorter than {MIN_KEY_LENGTH} characters",
            fix="set it to a long random secret (e.g. from 'openssl rand -hex 32'), or unset it",
        )
    return Pseudonymiser(given.encode("utf-8"), stable=True)


def is_personal_header(label: str) -> bool:
    """Whether a column's header says it identifies a person (e-mail, name, IP address…)."""
    return _PERSONAL.search(label.replace("_", " ")) is not None


def names_people(label: str) -> bool:
    """Whether a question's header asks for a person ("Who was your mentor?", "Nom de votre
    tuteur", "Which coach did you work with?"): its words would be people's names."""
    return _PERSON_ROLE.search(label.replace("_", " ").strip()) is not None


def looks_like_email(text: str) -> bool:
    """Whether an answer holds an e-mail address."""
    return _EMAIL.search(text) is not None


def suppressed_groups(sizes: Mapping[str, int], minimum: int) -> frozenset[str]:
    """Groups whose figures are withheld: those with fewer than ``minimum`` people, and, when
    only one is, the next smallest too, so that the whole's figures cannot give it away."""
    small = {group for group, size in sizes.items() if size < minimum}
    rest = sorted((size, group) for group, size in sizes.items() if group not in small)
    if len(small) == 1 and rest:
        small.add(rest[0][1])
    return frozenset(small)
