// name: span
// purpose: The first and last dates (YYYY-MM-DD) of convictions, arrivals and exchanges sent: the span of the Explore period control; nulls where there are none.
// params: none
// access: aggregate - dates only, no offender
// returns: first_conviction, last_conviction, first_arrival, last_arrival, first_sent, last_sent
OPTIONAL MATCH (c:Conviction)
WITH min(c.conviction_date) AS c1, max(c.conviction_date) AS c2
OPTIONAL MATCH (m:Movement)
WITH c1, c2, min(m.arrival_date) AS m1, max(m.arrival_date) AS m2
OPTIONAL MATCH (e:Exchange)
WITH c1, c2, m1, m2, min(e.sent_date) AS e1, max(e.sent_date) AS e2
RETURN c1 AS first_conviction, c2 AS last_conviction, m1 AS first_arrival, m2 AS last_arrival,
  e1 AS first_sent, e2 AS last_sent
