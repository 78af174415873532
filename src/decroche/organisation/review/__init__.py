"""Accounts to review (SPEC §9; issue 12.5): leavers' accounts closed within 3 working
days, rights suspended during absences over 90 days and given back on return, the CSO's
list of accounts to review, and the support portal's user list.

- `selectors`: what is due, overdue, suspended, dormant (reads);
- `services`: closing, suspending, restoring and the daily `leavers_process` (writes);
- `portal`: the support portal's user list and its exports.
The date rules themselves are in `organisation.leavers` (no Django).
"""
