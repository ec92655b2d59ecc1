"""Forum Konsultasi Publik (issue 14): a unit's consultation sessions, their decisions and the
follow-up actions (rencana tindak lanjut) that carry them out; `service` changes them, `reads`
gives the admin pages and the portal what they show."""
