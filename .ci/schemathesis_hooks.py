"""What the document's `json-credential` format means: the text of a
service account's JSON key file, as `POST /api/v1/byok` takes for
`google_vertex`. Loaded by .ci/schemathesis through SCHEMATHESIS_HOOKS."""

import json

import schemathesis
from hypothesis import strategies as st

_filled = st.text(min_size=1, max_size=40)

schemathesis.openapi.format(
    "json-credential",
    st.fixed_dictionaries(
        {
            "type": st.just("service_account"),
            "project_id": _filled,
            "private_key": _filled,
            "client_email": _filled,
        }
    ).map(json.dumps),
)
