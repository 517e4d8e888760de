// name: exchanges
// purpose: Delete the given Exchange nodes with their relationships (and so the derived NEXT and SUPERVISION links through them).
// params: keys - list of exchange_id values
// returns: nothing
UNWIND $keys AS k
MATCH (n:Exchange {exchange_id: k})
DETACH DELETE n
