"""The work queue of a receiving state (SPEC §8) and what analysts do with it: the cases they record,
their watch rules and the alerts those raise (§10)."""
