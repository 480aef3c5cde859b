//! Taking a newer version from the server without losing what was typed.

use crate::domain::{Assistant, AssistantDraft, FieldError};

use super::Editor;

impl Editor {
    /// Someone else saved a newer version: take theirs, then put this user's
    /// changes back on top, so nothing typed is lost.
    /// Fails, changing nothing, when the form cannot be read as a draft (a
    /// temperature that is not a number): the user fixes that first.
    pub fn rebase(&mut self, theirs: Assistant, etag: Option<String>) -> Result<(), FieldError> {
        let draft = self.draft()?;
        let Some(original) = &self.original else {
            return Ok(());
        };
        let mine = AssistantDraft::changes(original, &draft);
        let their_changes =
            AssistantDraft::changes(original, &AssistantDraft::from_assistant(&theirs));
        let focus = self.focus;
        let mut rebased = Editor::open_with(theirs, etag, self.default_tts.clone());
        rebased.apply(&mine);
        rebased.focus = focus;
        rebased.notice = rebase_notice(&mine, &their_changes);
        rebased.json_edit = std::mem::take(&mut self.json_edit);
        *self = rebased;
        Ok(())
    }
}

/// The top-level fields a draft sets, as the form names them.
fn changed_fields(draft: &AssistantDraft) -> Vec<&'static str> {
    [
        (draft.name.is_some(), "name"),
        (draft.first_message.is_some(), "first message"),
        (draft.stt_config.is_some(), "STT"),
        (draft.llm_config.is_some(), "LLM"),
        (draft.tts_config.is_some(), "TTS"),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect()
}

/// What a reload merged: their changes, and where both changed the same part.
fn rebase_notice(mine: &AssistantDraft, theirs: &AssistantDraft) -> Option<String> {
    let theirs = changed_fields(theirs);
    if theirs.is_empty() {
        return None;
    }
    let mine = changed_fields(mine);
    let both: Vec<&str> = theirs
        .iter()
        .copied()
        .filter(|f| mine.contains(f))
        .collect();
    let mut text = format!("Loaded their version; they changed {}.", theirs.join(", "));
    if !both.is_empty() {
        text.push_str(&format!(
            " You both changed {}: yours is shown and Ctrl-S saves it.",
            both.join(", ")
        ));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use crate::console::editor::{Editor, seed_assistant, text_field, text_of};
    use crate::domain::Catalog;

    #[test]
    fn rebase_keeps_my_edits_on_top_of_theirs() {
        let mut editor = Editor::open(seed_assistant(), Some("\"3\"".into()), &Catalog::builtin());
        editor.name = text_field("Mine");
        let mut theirs = seed_assistant();
        theirs.first_message = Some("Theirs".into());
        theirs.revision = Some(4);
        editor.rebase(theirs, Some("\"4\"".into())).unwrap();
        assert_eq!(text_of(&editor.name), "Mine");
        assert_eq!(text_of(&editor.first_message), "Theirs");
        assert_eq!(editor.etag.as_deref(), Some("\"4\""));
        assert_eq!(
            serde_json::to_string(&editor.request_body().unwrap()).unwrap(),
            r#"{"name":"Mine"}"#
        );
    }
}
