// name: beat
// purpose: The heartbeat of the writer holding the write marker: shows readers and other writers it is still alive.
// params: token - the writer's token; now - epoch seconds
// returns: mine
MATCH (m:Meta {name: 'load'})
WHERE m.writer_token = $token
SET m.beat_at = $now
RETURN count(m) > 0 AS mine
