"""The ground every app stands on: who the user is, notifications and their delivery, the
reminder registry and schedule, Chinese working days, the clock, text normalisation,
spreadsheets and admin mixins. It imports no app."""
