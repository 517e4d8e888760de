// name: finish
// purpose: The last step of an erasure, in one transaction: delete the Offender nodes (their rows are gone already), store the new latest event day, bump the data version and stamp the change time (both key the dashboard's caches, so none keeps showing them). An erasure killed before it can simply be run again: the offenders are still there.
// params: ids - list of offender_id values; latest_day - day number of the latest event, or null; now - ISO timestamp (seconds); changed_at - ISO timestamp (microseconds)
// returns: erased
UNWIND $ids AS id
MATCH (o:Offender {offender_id: id})
DETACH DELETE o
WITH count(*) AS erased
MERGE (m:Meta {name: 'load'})
SET m.version = coalesce(m.version, 0) + 1, m.latest_day = $latest_day, m.loaded_at = $now, m.changed_at = $changed_at
RETURN erased
