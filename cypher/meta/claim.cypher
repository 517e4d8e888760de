// name: claim
// purpose: Claim the write marker for one writer, unless another holds a fresh claim. The first SET takes the node's write lock, so two claimers are serialised and the second reads the first's claim; a claim whose heartbeat is older than $stale_before (its writer died) is taken over, and so is one of the same owner (host and data folder): the caller holds that folder's writer lock, so its earlier holder is gone.
// params: token - the writer's random token; what - load, sync, erase or restore; who - user name; host - host name; owner - host and data folder; now - epoch seconds; stale_before - epoch seconds
// returns: mine, what, who, host, beat_at
MERGE (m:Meta {name: 'load'})
SET m.claim_lock = true
WITH m, coalesce(m.writing, false) AND coalesce(m.beat_at, 0.0) >= $stale_before AND coalesce(m.writer_owner, '') <> $owner AS busy
SET m.writing = true,
  m.writer_token = CASE WHEN busy THEN m.writer_token ELSE $token END,
  m.writer_what = CASE WHEN busy THEN m.writer_what ELSE $what END,
  m.writer_who = CASE WHEN busy THEN m.writer_who ELSE $who END,
  m.writer_host = CASE WHEN busy THEN m.writer_host ELSE $host END,
  m.writer_owner = CASE WHEN busy THEN m.writer_owner ELSE $owner END,
  m.beat_at = CASE WHEN busy THEN m.beat_at ELSE $now END,
  m.claims = CASE WHEN busy THEN coalesce(m.claims, 0) ELSE coalesce(m.claims, 0) + 1 END
RETURN m.writer_token = $token AS mine, m.writer_what AS what, m.writer_who AS who, m.writer_host AS host,
  m.beat_at AS beat_at
