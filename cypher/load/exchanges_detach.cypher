// name: exchanges_detach
// purpose: Remove the relationships a changed exchange row defines, before they are merged again.
// params: keys - list of exchange_id values
// returns: nothing
UNWIND $keys AS k
MATCH (:Exchange {exchange_id: k})-[r:VIA|SENT_BY|SENT_TO|ABOUT|CONCERNS]->()
DELETE r
