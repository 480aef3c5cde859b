//! The LLM's messages as the editor holds them: one text area each, added
//! after the one in focus and removed from there.

use ratatui_textarea::{TextArea, WrapMode};

use super::{Editor, text_field};

pub struct MessageDraft {
    pub role: String,
    pub content: TextArea<'static>,
    /// Fields of the message this build does not know; sent back untouched.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Prompts are long prose: wrapped, not scrolled sideways.
pub(super) fn message_field(text: &str) -> TextArea<'static> {
    let mut area = text_field(text);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area
}

impl Editor {
    pub fn add_message(&mut self) {
        let role = if self.messages.is_empty() {
            "system"
        } else {
            "user"
        };
        let at = if self.messages.is_empty() {
            0
        } else {
            self.message_index + 1
        };
        self.messages.insert(
            at,
            MessageDraft {
                role: role.into(),
                content: message_field(""),
                extra: Default::default(),
            },
        );
        self.message_index = at;
    }

    pub fn remove_message(&mut self) {
        if self.message_index < self.messages.len() {
            self.messages.remove(self.message_index);
            self.message_index = self
                .message_index
                .min(self.messages.len().saturating_sub(1));
        }
        if self.messages.is_empty() {
            self.in_messages = false;
        }
    }
}
