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


_DELAYS = "speech_config.turn_taking.endpointing_max_delay"


def _delays_out_of_order(body) -> bool:
    speech = body.get("speech_config") if isinstance(body, dict) else None
    turn = speech.get("turn_taking") if isinstance(speech, dict) else None
    if not isinstance(turn, dict):
        return False
    low, high = turn.get("endpointing_min_delay"), turn.get("endpointing_max_delay")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high))
    return numbers and high < low


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """JSON Schema cannot compare two fields, so the document says in words
    that `endpointing_max_delay` is not below `endpointing_min_delay`; a
    generated body that breaks only that is refused by its path, rightly."""
    try:
        param = response.json()["error"]["param"]
    except Exception:
        return True
    return not (response.status_code == 400 and param == _DELAYS and _delays_out_of_order(case.body))
