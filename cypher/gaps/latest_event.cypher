// name: latest_event
// purpose: The latest event day in the graph (arrival, conviction, sent or received date), the default as-of of SPEC §4; supervision_end does not count.
// params: none
// returns: day
OPTIONAL MATCH (m:Movement)
WITH max(m.arrival_day) AS a
OPTIONAL MATCH (c:Conviction)
WITH a, max(c.conviction_day) AS b
OPTIONAL MATCH (e:Exchange)
WITH a, b, max(e.sent_day) AS s, max(e.received_day) AS r
UNWIND [a, b, s, r] AS day
RETURN max(day) AS day
