// name: schema
// purpose: Unique constraints (one per key of the data contract) and the indexes the loader and analyses look up by.
// params: none
// returns: nothing
CREATE CONSTRAINT state_code IF NOT EXISTS FOR (n:State) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT offence_category_code IF NOT EXISTS FOR (n:OffenceCategory) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT mechanism_code IF NOT EXISTS FOR (n:Mechanism) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.agency_id IS UNIQUE;
CREATE CONSTRAINT offender_id IF NOT EXISTS FOR (n:Offender) REQUIRE n.offender_id IS UNIQUE;
CREATE CONSTRAINT conviction_id IF NOT EXISTS FOR (n:Conviction) REQUIRE n.conviction_id IS UNIQUE;
CREATE CONSTRAINT movement_id IF NOT EXISTS FOR (n:Movement) REQUIRE n.movement_id IS UNIQUE;
CREATE CONSTRAINT exchange_id IF NOT EXISTS FOR (n:Exchange) REQUIRE n.exchange_id IS UNIQUE;
CREATE CONSTRAINT meta_name IF NOT EXISTS FOR (n:Meta) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT case_key IF NOT EXISTS FOR (n:Case) REQUIRE n.case_key IS UNIQUE;
CREATE CONSTRAINT watch_rule_key IF NOT EXISTS FOR (n:WatchRule) REQUIRE n.rule_key IS UNIQUE;
CREATE INDEX conviction_offender IF NOT EXISTS FOR (n:Conviction) ON (n.offender_id);
CREATE INDEX conviction_case IF NOT EXISTS FOR (n:Conviction) ON (n.case_id);
CREATE INDEX movement_offender IF NOT EXISTS FOR (n:Movement) ON (n.offender_id);
CREATE INDEX movement_arrival IF NOT EXISTS FOR (n:Movement) ON (n.arrival_day);
CREATE INDEX exchange_offender IF NOT EXISTS FOR (n:Exchange) ON (n.offender_id);
