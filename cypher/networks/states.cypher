// name: states
// purpose: Every state with the attributes the network views draw: name and capital coordinates.
// params: none
// returns: code, name, lat, lon
MATCH (s:State)
RETURN s.code AS code, s.name AS name, s.lat AS lat, s.lon AS lon
ORDER BY code
