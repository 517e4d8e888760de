// name: offenders
// purpose: Nationality and risk rank of the given offenders, as column lists, for deriving gap facts.
// params: ids - list of offender_id values
// returns: offender_id, nationality, risk_rank
UNWIND $ids AS id
MATCH (o:Offender {offender_id: id})
RETURN collect(o.offender_id) AS offender_id, collect(o.nationality) AS nationality, collect(o.risk_rank) AS risk_rank
