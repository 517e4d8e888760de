// name: marker
// purpose: The write marker a reader compares before and after its read: the data version, the count of write claims, whether a write is under way, and by whom since when.
// params: none
// returns: version, claims, writing, what, who, host, beat_at
OPTIONAL MATCH (m:Meta {name: 'load'})
RETURN coalesce(m.version, 0) AS version, coalesce(m.claims, 0) AS claims, coalesce(m.writing, false) AS writing,
  m.writer_what AS what, m.writer_who AS who, m.writer_host AS host, m.beat_at AS beat_at
