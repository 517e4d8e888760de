// name: label_counts
// purpose: How many nodes each table of the data contract has in the graph (one count per label, answered from the label's count, not a scan); the loader skips reading stored hashes of an empty label.
// params: none
// returns: states, offence_categories, mechanisms, agencies, offenders, convictions, movements, exchanges
CALL () { MATCH (n:State) RETURN count(n) AS states }
CALL () { MATCH (n:OffenceCategory) RETURN count(n) AS offence_categories }
CALL () { MATCH (n:Mechanism) RETURN count(n) AS mechanisms }
CALL () { MATCH (n:Agency) RETURN count(n) AS agencies }
CALL () { MATCH (n:Offender) RETURN count(n) AS offenders }
CALL () { MATCH (n:Conviction) RETURN count(n) AS convictions }
CALL () { MATCH (n:Movement) RETURN count(n) AS movements }
CALL () { MATCH (n:Exchange) RETURN count(n) AS exchanges }
RETURN states, offence_categories, mechanisms, agencies, offenders, convictions, movements, exchanges
