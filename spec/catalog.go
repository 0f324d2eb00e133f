package spec

// seedCatalog is the error reference's 25 conditions with their texts: the catalog of every
// document that brings no x-flow-conditions. Fixture names the target-description key that
// enables a condition a target only produces with special set-up.
var seedCatalog = []Condition{
	{304, "not_modified", "The conditional request would have been successful, but the condition was false, so no body was sent.", ""},
	{400, "bad_request", "The API request is invalid or improperly formed. Consequently, the API server could not understand the request.", ""},
	{400, "invalid_parameter", "The value for one of the URI parameters was invalid. In addition to normal URI parameter validation, any URI parameters that have a corresponding value in provided JSON request bodies must match if they are both specified.", ""},
	{400, "parse_error", "Could not parse the body of the request according to the provided Content-Type.", ""},
	{400, "invalid_argument", "The one or more properties in the request's JSON body are invalid or missing.", ""},
	{400, "required", "A required URL parameter or required request body JSON property is missing.", ""},
	{400, "api_version_mismatch", "The Accept-Version header is missing, or there is a mismatch between the major version of the client and the block, or the client's minor version is lower than the block's.", ""},
	{400, "sequence_number_format_error", "In requests that require you to provide a sequence number, the sequence number's data type must be a string, not an integer.", ""},
	{401, "auth_error", "The provided username or password is invalid.", ""},
	{401, "invalid_bearer_token", "The provided bearer token in the Authorization header is invalid.", ""},
	{401, "required", "Access to a non-public method that requires that a bearer authentication was made, but none has been provided in the Authorization header.", ""},
	{401, "session_expired", "Your session has expired. Log in again to continue.", "session_expired"},
	{403, "forbidden", "According to the access control policy, the current user does not have access to perform the requested action. This code applies even if the resource being acted on doesn't exist.", "viewer"},
	{403, "account_disabled", "The account associated with the resource has been disabled.", "account_disabled"},
	{404, "not_found", "Either there is no API method associated with the URL path of the request, or the request refers to one or more resources that were not found.", ""},
	{404, "method_not_allowed", "The HTTP verb is not supported by the URL endpoint used in the request.", ""},
	{409, "conflict", "A request to change a resource failed to commit the change due to a conflicting concurrent change to the same resource.", "conflict"},
	{409, "outdated_sequence_number", "A sequence number is an analytic's current version that increments every time it is modified. While performing sink data requests, use the current sequence number. While updating an analytic, use a sequence number 1 higher than the current.", ""},
	{409, "resource_exists", "POST method has been used on an existing element of a collection.", ""},
	{413, "payload_too_large", "The message body was larger than what FLOW supports.", ""},
	{415, "unsupported_media_type", "The request's Content-Type header is missing or contains an unsupported format.", ""},
	{429, "rate_limit_exceeded", "The usage limit has been exceeded. If your application tries to use more than its limit, additional requests will fail. Throttle your client's requests.", "rate_limit"},
	{500, "internal_error", "We encountered an internal error. Please contact us to help us resolve the situation.", "internal_error"},
	{501, "not_implemented_yet", "The server does not support the functionality required to fulfill the request at the moment.", "not_implemented_yet"},
	{501, "analytics_data_loading", "Analytics data is loading and currently not available.", "analytics_data_loading"},
}

// SeedCatalog returns a copy of the built-in catalog.
func SeedCatalog() []Condition { return append([]Condition(nil), seedCatalog...) }

func seedCondition(status int, reason string) (Condition, bool) {
	for _, c := range seedCatalog {
		if c.Status == status && c.Reason == reason {
			return c, true
		}
	}
	return Condition{}, false
}

type stageSpec struct {
	name, description string
	conditions        []string
}

// defaultPrecedence is the order of every document that brings no x-flow-precedence. The seed
// fixes one pair: 403 forbidden before 404 not_found ("even if the resource being acted on
// doesn't exist"); the rest is flowconform's default, documented in docs/inference.md.
var defaultPrecedence = []stageSpec{
	{"request", "The request line or query string cannot be understood at all.", []string{"400 bad_request"}},
	{"version", "Accept-Version is checked on every request, public or not.", []string{"400 api_version_mismatch"}},
	{"authentication", "Every path but a public one needs a valid, unexpired bearer token; unknown paths are not public.", []string{"401 required", "401 invalid_bearer_token", "401 session_expired"}},
	{"rate_limit", "Per-account usage limit, counted on authenticated requests.", []string{"429 rate_limit_exceeded"}},
	{"routing", "The path must name an operation of this document, and the verb must be one of the path's.", []string{"404 not_found", "404 method_not_allowed"}},
	{"authorization", "The caller's role must be among the operation's roles; checked before any resource lookup.", []string{"403 forbidden"}},
	{"availability", "Operations the block does not implement yet.", []string{"501 not_implemented_yet"}},
	{"parameters", "Path and query parameters against their schemas.", []string{"400 required", "400 invalid_parameter"}},
	{"payload_size", "The body size limit, checked before the body is read.", []string{"413 payload_too_large"}},
	{"media_type", "Operations with a request body take application/json only.", []string{"415 unsupported_media_type"}},
	{"parse", "The body must be well-formed UTF-8 JSON.", []string{"400 parse_error"}},
	{"body", "The body against its schema; a missing property before a wrongly typed sequence number before any other invalid property.", []string{"400 required", "400 sequence_number_format_error", "400 invalid_argument"}},
	{"consistency", "Body properties that repeat a URI parameter must equal it.", []string{"400 invalid_parameter"}},
	{"lookup", "Every resource the URI names must exist.", []string{"404 not_found"}},
	{"state", "Conditions of the stored state, checked while applying the request.", []string{"401 auth_error", "403 account_disabled", "409 resource_exists", "409 conflict", "409 outdated_sequence_number", "501 analytics_data_loading"}},
	{"conditional", "If-None-Match against the current ETag, last, on reads.", []string{"304 not_modified"}},
	{"internal", "Any unexpected failure while answering.", []string{"500 internal_error"}},
}

// stateStage is where the default precedence places a catalog entry the seed does not have.
const stateStage = "state"
