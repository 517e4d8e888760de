// name: meta_begin_bulk
// purpose: Mark a bulk first load as under way: a batch is not atomic, so the next load after one that dies removes what it wrote and starts over.
// params: none
// returns: nothing
MERGE (m:Meta {name: 'load'})
SET m.pending = true, m.bulk_pending = true
