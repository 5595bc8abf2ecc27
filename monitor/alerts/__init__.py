"""Alerts: who hears of a change (``route``), what they read (``render``), and delivery over
apprise from the outbox (``send``)."""
