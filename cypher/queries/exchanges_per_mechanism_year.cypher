// name: exchanges_per_mechanism_year
// purpose: Exchanges per mechanism and year sent: how many, about how many offenders, and the average days in transit (received minus sent, where received is known).
// params: kind string = null - only exchanges of this kind (conviction_notice, risk_notice, alert, supervision_transfer, request, reply)
// access: aggregate - no offender ids; every role may run it
// cells: offenders - the columns that count people or movements
// returns: mechanism, year, exchanges, offenders, avg_transit_days
MATCH (e:Exchange)
WHERE $kind IS NULL OR e.kind = $kind
RETURN e.mechanism AS mechanism, e.year AS year, count(*) AS exchanges, count(DISTINCT e.offender_id) AS offenders,
  round(avg(e.received_day - e.sent_day), 1) AS avg_transit_days
ORDER BY mechanism, year
