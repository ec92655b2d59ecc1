"""Complaints and replies (issue 14): a comment whose citizen asked for a reply becomes a case in
the unit's inbox (status, due date, handler), answered to the citizen's contact and, moderated,
on the portal; the citizen follows it with the receipt number."""
