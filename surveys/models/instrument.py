"""Versioned questionnaires. A response keeps the instrument version it was answered on."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import UTCDateTime, db, utcnow

ITEM_KINDS = ("unsur", "officer", "text")


class Instrument(db.Model):
    """One version of a questionnaire; published versions are never edited, only superseded."""

    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    items: Mapped[list[InstrumentItem]] = relationship(
        back_populates="instrument", order_by="InstrumentItem.position"
    )

    @property
    def unsur_codes(self) -> list[str]:
        """Codes of the items that count in the IKM, in questionnaire order."""
        return [item.code for item in self.items if item.kind == "unsur"]


class InstrumentItem(db.Model):
    """A question: an SKM unsur or the officer rating (answers 1-4), or free text."""

    __table_args__ = (
        UniqueConstraint("instrument_id", "code"),
        UniqueConstraint("instrument_id", "position"),
        CheckConstraint("kind IN ('unsur', 'officer', 'text')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    required: Mapped[bool]
    text_id: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    # Answer labels for values 1..4, in Bahasa Indonesia and English; empty for text items.
    labels_id: Mapped[list[str]] = mapped_column(JSON, default=list)
    labels_en: Mapped[list[str]] = mapped_column(JSON, default=list)

    instrument: Mapped[Instrument] = relationship(back_populates="items")

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_id

    def labels(self, language: str) -> list[str]:
        return self.labels_en if language == "en" else self.labels_id
