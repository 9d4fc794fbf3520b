//! The serial console: a line editor for the bytes that come in, and the commands that
//! set the board up without a toolchain. Settings are stored at once and used from the
//! next start (`reboot`), so a typo never takes a running device off the network.
//!
//! ```text
//! wifi SSID [PASSWORD]          the network (no password: open); quote words with spaces: wifi "My Net" "pass word"
//! source vendor-device.instance the device's xPL name ("source default": xplhbeat-esp32c3.<mac>)
//! mode basic|app                basic: owns the xPL port on its address; app: behind a hub on this board
//! interval N                    heartbeat interval, 1..30 minutes (0: the core's default, 5)
//! configurable on|off           config.* heartbeats until an xPL manager configures the device
//! status-key on|off             Domogik's status= key in heartbeats
//! show                          the settings and the network state
//! erase                         forget the settings and the configuration stored by the core
//! reboot                        start again with the stored settings
//! help                          this list
//! ```
use crate::settings::{Settings, SettingsError};

/// The longest line the console takes (a `wifi` command with quoted 32-byte SSID and
/// 63-character password fits with room to spare).
pub const LINE_BYTES_MAX: usize = 160;
pub const WORDS_MAX: usize = 4;

pub const HELP: &str = "commands:\n\
  wifi SSID [PASSWORD]           the Wi-Fi network (no password: open; \"quote words with spaces\")\n\
  source vendor-device.instance  the device's xPL name (source default: xplhbeat-esp32c3.<mac>)\n\
  mode basic|app                 basic: owns port 3865 on its address; app: behind a hub on this board\n\
  interval N                     heartbeat interval in minutes, 1..30 (0: the core's default, 5)\n\
  configurable on|off            config heartbeats until an xPL manager configures the device\n\
  status-key on|off              Domogik's status= key in heartbeats\n\
  show                           settings and network state\n\
  erase                          forget the settings and the configuration the core stored\n\
  reboot                         start again with the stored settings";

/// What one byte typed on the console does.
#[derive(Debug, PartialEq, Eq)]
pub enum Key<'a> {
    /// Nothing to show (a control byte, or the LF of a CR LF pair).
    None,
    /// Echo this byte.
    Echo(u8),
    /// Erase the last character on the terminal ("\x08 \x08").
    Erase,
    /// A whole line (without its end), ready for [`parse`].
    Line(&'a str),
    /// The line was longer than LINE_BYTES_MAX or not UTF-8: dropped whole.
    Refused,
}

/// Collects bytes into a line: CR, LF or CR LF end it, backspace and DEL erase,
/// other control bytes are ignored. Never more than LINE_BYTES_MAX bytes.
pub struct LineEditor {
    buf: [u8; LINE_BYTES_MAX],
    len: usize,
    overflow: bool,
    last_was_cr: bool,
}

impl Default for LineEditor {
    fn default() -> Self {
        Self::new()
    }
}

impl LineEditor {
    pub const fn new() -> Self {
        Self { buf: [0; LINE_BYTES_MAX], len: 0, overflow: false, last_was_cr: false }
    }

    pub fn push(&mut self, byte: u8) -> Key<'_> {
        let after_cr = core::mem::replace(&mut self.last_was_cr, byte == b'\r');
        match byte {
            b'\n' if after_cr => Key::None,
            b'\r' | b'\n' => {
                let (len, overflow) = (self.len, self.overflow);
                self.len = 0;
                self.overflow = false;
                if overflow {
                    return Key::Refused;
                }
                match core::str::from_utf8(&self.buf[..len]) {
                    Ok(line) => Key::Line(line),
                    Err(_) => Key::Refused,
                }
            }
            0x08 | 0x7f => {
                if self.len > 0 && !self.overflow {
                    self.len -= 1;
                    Key::Erase
                } else {
                    Key::None
                }
            }
            0x00..=0x1f => Key::None,
            _ => {
                if self.len == LINE_BYTES_MAX {
                    self.overflow = true;
                    return Key::None;
                }
                self.buf[self.len] = byte;
                self.len += 1;
                Key::Echo(byte)
            }
        }
    }
}

/// A line split into words: spaces separate, double quotes group, `\"` and `\\` inside
/// quotes stand for themselves.
pub struct Words {
    buf: [u8; LINE_BYTES_MAX],
    spans: [(u8, u8); WORDS_MAX],
    count: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleError {
    TooManyWords,
    UnclosedQuote,
    UnknownCommand,
    MissingArgument,
    ExtraArgument,
    NotOnOff,
    NotAMode,
    NotANumber,
    Setting(SettingsError),
}

impl ConsoleError {
    pub fn describe(self) -> &'static str {
        match self {
            Self::TooManyWords => "too many words (quote words with spaces: \"My Net\")",
            Self::UnclosedQuote => "a quote is not closed",
            Self::UnknownCommand => "unknown command (help: the list)",
            Self::MissingArgument => "an argument is missing (help: the list)",
            Self::ExtraArgument => "too many arguments (quote words with spaces: \"My Net\")",
            Self::NotOnOff => "expected on or off",
            Self::NotAMode => "expected basic or app",
            Self::NotANumber => "expected a number",
            Self::Setting(e) => e.describe(),
        }
    }
}

impl Words {
    pub fn split(line: &str) -> Result<Self, ConsoleError> {
        let mut w = Self { buf: [0; LINE_BYTES_MAX], spans: [(0, 0); WORDS_MAX], count: 0 };
        let input = line.as_bytes();
        if input.len() > LINE_BYTES_MAX {
            return Err(ConsoleError::TooManyWords);
        }
        let (mut i, mut out) = (0, 0);
        loop {
            while i < input.len() && input[i] == b' ' {
                i += 1;
            }
            if i == input.len() {
                return Ok(w);
            }
            if w.count == WORDS_MAX {
                return Err(ConsoleError::TooManyWords);
            }
            let start = out;
            if input[i] == b'"' {
                i += 1;
                loop {
                    match input.get(i) {
                        None => return Err(ConsoleError::UnclosedQuote),
                        Some(b'"') => break,
                        Some(b'\\') if matches!(input.get(i + 1), Some(b'"') | Some(b'\\')) => i += 1,
                        _ => {}
                    }
                    w.buf[out] = input[i];
                    out += 1;
                    i += 1;
                }
                i += 1; // the closing quote
            } else {
                while i < input.len() && input[i] != b' ' {
                    w.buf[out] = input[i];
                    out += 1;
                    i += 1;
                }
            }
            w.spans[w.count] = (start as u8, out as u8);
            w.count += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        if i >= self.count {
            return None;
        }
        let (a, b) = self.spans[i];
        // Whole UTF-8 characters are copied, and quotes and backslashes are ASCII.
        core::str::from_utf8(&self.buf[a as usize..b as usize]).ok()
    }
}

/// A console command; settings commands carry their value, checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Command<'a> {
    Empty,
    Help,
    Show,
    Erase,
    Reboot,
    Wifi { ssid: &'a str, password: &'a str },
    Source(&'a str),
    Mode { app: bool },
    Interval(u8),
    Configurable(bool),
    StatusKey(bool),
}

fn on_off(word: &str) -> Result<bool, ConsoleError> {
    match word {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(ConsoleError::NotOnOff),
    }
}

/// The command in `words` (from [`Words::split`]).
pub fn parse(words: &Words) -> Result<Command<'_>, ConsoleError> {
    let Some(name) = words.get(0) else { return Ok(Command::Empty) };
    let arg = |i: usize| words.get(i).ok_or(ConsoleError::MissingArgument);
    let arity = |n: usize| if words.len() > n { Err(ConsoleError::ExtraArgument) } else { Ok(()) };
    let command = match name {
        "help" | "?" => Command::Help,
        "show" => Command::Show,
        "erase" => Command::Erase,
        "reboot" => Command::Reboot,
        "wifi" => {
            arity(3)?;
            Command::Wifi { ssid: arg(1)?, password: words.get(2).unwrap_or("") }
        }
        "source" => {
            let s = arg(1)?;
            arity(2)?;
            Command::Source(if s == "default" { "" } else { s })
        }
        "mode" => {
            let app = match arg(1)? {
                "basic" => false,
                "app" => true,
                _ => return Err(ConsoleError::NotAMode),
            };
            arity(2)?;
            Command::Mode { app }
        }
        "interval" => {
            let n: u8 = arg(1)?.parse().map_err(|_| ConsoleError::NotANumber)?;
            arity(2)?;
            Command::Interval(n)
        }
        "configurable" => {
            let on = on_off(arg(1)?)?;
            arity(2)?;
            Command::Configurable(on)
        }
        "status-key" => {
            let on = on_off(arg(1)?)?;
            arity(2)?;
            Command::StatusKey(on)
        }
        _ => return Err(ConsoleError::UnknownCommand),
    };
    if matches!(command, Command::Help | Command::Show | Command::Erase | Command::Reboot) {
        arity(1)?;
    }
    Ok(command)
}

/// Applies a settings command to `settings`: Ok(true) when they changed (store them),
/// Ok(false) for the other commands. A refused value changes nothing.
pub fn apply(settings: &mut Settings, command: &Command) -> Result<bool, ConsoleError> {
    let mut next = *settings;
    match *command {
        Command::Wifi { ssid, password } => next.set_wifi(ssid, password),
        Command::Source(source) => next.set_source(source),
        Command::Mode { app } => {
            next.app_mode = app;
            Ok(())
        }
        Command::Interval(minutes) => next.set_interval(minutes),
        Command::Configurable(on) => {
            next.configurable = on;
            Ok(())
        }
        Command::StatusKey(on) => {
            next.status_key = on;
            Ok(())
        }
        Command::Empty | Command::Help | Command::Show | Command::Erase | Command::Reboot => return Ok(false),
    }
    .map_err(ConsoleError::Setting)?;
    *settings = next;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(editor: &mut LineEditor, bytes: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        for &b in bytes {
            if let Key::Line(l) = editor.push(b) {
                lines.push(l.to_string());
            }
        }
        lines
    }

    fn run(settings: &mut Settings, line: &str) -> Result<bool, ConsoleError> {
        let words = Words::split(line)?;
        let command = parse(&words)?;
        apply(settings, &command)
    }

    #[test]
    fn a_line_ends_with_cr_lf_or_cr_lf_and_backspace_erases() {
        let mut e = LineEditor::new();
        assert_eq!(typed(&mut e, b"show\r\nhelp\nmode app\rx\x08reboot\r"), ["show", "help", "mode app", "reboot"]);
        assert_eq!(e.push(b'a'), Key::Echo(b'a'));
        assert_eq!(e.push(0x7f), Key::Erase);
        assert_eq!(e.push(0x7f), Key::None, "nothing left to erase");
        assert_eq!(e.push(0x1b), Key::None, "control bytes are ignored");
    }

    #[test]
    fn a_line_over_the_limit_is_refused_whole_and_the_next_one_works() {
        let mut e = LineEditor::new();
        for _ in 0..LINE_BYTES_MAX + 10 {
            e.push(b'a');
        }
        assert_eq!(e.push(b'\n'), Key::Refused);
        assert_eq!(typed(&mut e, b"show\n"), ["show"]);
        let mut e = LineEditor::new();
        e.push(0xff);
        assert_eq!(e.push(b'\n'), Key::Refused, "not UTF-8");
    }

    #[test]
    fn quotes_keep_spaces_and_backslash_escapes_quotes() {
        let w = Words::split(r#"wifi  "My Home Net" "pa ss \"q\" \\ x""#).unwrap();
        assert_eq!((w.len(), w.get(0), w.get(1), w.get(2)), (3, Some("wifi"), Some("My Home Net"), Some(r#"pa ss "q" \ x"#)));
        assert_eq!(Words::split("wifi \"open").err(), Some(ConsoleError::UnclosedQuote));
        assert_eq!(Words::split("a b c d e").err(), Some(ConsoleError::TooManyWords));
        assert!(Words::split("   ").unwrap().is_empty());
        assert_eq!(Words::split("wifi \"\"").unwrap().get(1), Some(""));
    }

    #[test]
    fn every_command_parses_to_its_value() {
        let cases: &[(&str, Command)] = &[
            ("", Command::Empty),
            ("help", Command::Help),
            ("show", Command::Show),
            ("erase", Command::Erase),
            ("reboot", Command::Reboot),
            ("wifi cafe", Command::Wifi { ssid: "cafe", password: "" }),
            ("wifi home secret123", Command::Wifi { ssid: "home", password: "secret123" }),
            ("source acme-lamp.hall", Command::Source("acme-lamp.hall")),
            ("source default", Command::Source("")),
            ("mode basic", Command::Mode { app: false }),
            ("mode app", Command::Mode { app: true }),
            ("interval 9", Command::Interval(9)),
            ("configurable on", Command::Configurable(true)),
            ("status-key off", Command::StatusKey(false)),
        ];
        for (line, command) in cases {
            let words = Words::split(line).unwrap();
            assert_eq!(parse(&words).as_ref(), Ok(command), "{line}");
        }
    }

    #[test]
    fn a_bad_command_is_named_by_its_reason() {
        let cases: &[(&str, ConsoleError)] = &[
            ("wfii home", ConsoleError::UnknownCommand),
            ("wifi", ConsoleError::MissingArgument),
            ("wifi My Home Net", ConsoleError::ExtraArgument),
            ("mode", ConsoleError::MissingArgument),
            ("mode hub", ConsoleError::NotAMode),
            ("interval five", ConsoleError::NotANumber),
            ("interval 300", ConsoleError::NotANumber),
            ("interval 5 6", ConsoleError::ExtraArgument),
            ("configurable yes", ConsoleError::NotOnOff),
            ("reboot now", ConsoleError::ExtraArgument),
        ];
        for (line, error) in cases {
            let words = Words::split(line).unwrap();
            assert_eq!(parse(&words).err(), Some(*error), "{line}");
        }
    }

    #[test]
    fn settings_commands_change_the_settings_and_a_refused_value_changes_nothing() {
        let mut s = Settings::empty();
        assert_eq!(run(&mut s, r#"wifi "My Home Net" "pass word 1""#), Ok(true));
        assert_eq!((s.ssid.as_str(), s.password.as_str()), ("My Home Net", "pass word 1"));
        assert_eq!(run(&mut s, "source ACME-lamp.hall"), Ok(true));
        assert_eq!(run(&mut s, "mode app"), Ok(true));
        assert_eq!(run(&mut s, "interval 10"), Ok(true));
        assert_eq!(run(&mut s, "configurable on"), Ok(true));
        assert_eq!(run(&mut s, "status-key on"), Ok(true));
        assert_eq!(run(&mut s, "show"), Ok(false));
        let before = s;
        assert_eq!(run(&mut s, "wifi home short"), Err(ConsoleError::Setting(SettingsError::PasswordLength)));
        assert_eq!(run(&mut s, "source acme.lamp"), Err(ConsoleError::Setting(SettingsError::SourceFormat)));
        assert_eq!(run(&mut s, "interval 31"), Err(ConsoleError::Setting(SettingsError::Interval)));
        assert_eq!(s, before);
        assert_eq!(
            (s.source.as_str(), s.app_mode, s.interval_min, s.configurable, s.status_key),
            ("acme-lamp.hall", true, 10, true, true)
        );
    }

    #[test]
    fn every_error_has_a_message() {
        for e in [ConsoleError::TooManyWords, ConsoleError::Setting(SettingsError::Interval)] {
            assert!(!e.describe().is_empty());
        }
        assert!(HELP.contains("wifi SSID [PASSWORD]"));
    }
}
