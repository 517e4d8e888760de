// name: meta_begin
// purpose: Mark a load as under way, so that a load that dies is completed in full by the next one.
// params: none
// returns: nothing
MERGE (m:Meta {name: 'load'})
SET m.pending = true
