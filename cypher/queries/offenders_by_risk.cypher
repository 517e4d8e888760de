// name: offenders_by_risk
// purpose: How many offenders there are per risk level.
// access: aggregate - no offender ids; every role may run it
// cells: offenders - the columns that count people or movements
// returns: risk_level, offenders
MATCH (o:Offender)
RETURN o.risk_level AS risk_level, count(*) AS offenders
ORDER BY risk_level
