//! Hand encoders of ZMTP 3.x bytes (greeting, frames, commands, metadata) and the
//! metadata parser: no `zmtp-codec` here, so the raw peer checks our codec.

use std::io;

use super::errors::invalid;

/// Flag bit: more frames follow.
pub const FLAG_MORE: u8 = 0x01;
/// Flag bit: 8-byte size field.
pub const FLAG_LONG: u8 = 0x02;
/// Flag bit: command frame.
pub const FLAG_COMMAND: u8 = 0x04;

/// The 64-byte ZMTP 3.x greeting: `FF 00*8 7F major minor mechanism(20) as-server(0) 00*31`.
pub fn greeting_bytes(major: u8, minor: u8, mechanism: &str) -> [u8; 64] {
    let mut g = [0u8; 64];
    g[0] = 0xFF;
    g[9] = 0x7F;
    g[10] = major;
    g[11] = minor;
    let mech = mechanism.as_bytes();
    let n = mech.len().min(20);
    g[12..12 + n].copy_from_slice(&mech[..n]);
    g
}

/// Encodes one frame. The LONG bit is added when the body exceeds 255 bytes;
/// if the caller passes LONG with a short body, an 8-byte size is written anyway.
pub fn frame_bytes(flags: u8, body: &[u8]) -> Vec<u8> {
    let long = body.len() > 255 || flags & FLAG_LONG != 0;
    let mut out = Vec::with_capacity(body.len() + 9);
    if long {
        out.push(flags | FLAG_LONG);
        out.extend_from_slice(&(body.len() as u64).to_be_bytes());
    } else {
        out.push(flags);
        out.push(body.len() as u8);
    }
    out.extend_from_slice(body);
    out
}

/// A frame header alone (lets a test declare a size it never sends).
pub fn frame_header(flags: u8, size: u64) -> Vec<u8> {
    if size > 255 || flags & FLAG_LONG != 0 {
        let mut out = vec![flags | FLAG_LONG];
        out.extend_from_slice(&size.to_be_bytes());
        out
    } else {
        vec![flags, size as u8]
    }
}

/// A command body: `name-len name data`.
pub fn command_body(name: &str, data: &[u8]) -> Vec<u8> {
    assert!(!name.is_empty() && name.len() < 256, "bad command name");
    let mut out = Vec::with_capacity(1 + name.len() + data.len());
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    out
}

/// Encodes metadata properties: `name-len(1) name value-len(4 BE) value`.
pub fn metadata_bytes(props: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in props {
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(value.len() as u32).to_be_bytes());
        out.extend_from_slice(value);
    }
    out
}

/// READY command body for the NULL mechanism: Socket-Type, then Identity if given.
pub fn ready_body(socket_type: &str, identity: Option<&[u8]>) -> Vec<u8> {
    let mut props: Vec<(&str, &[u8])> = vec![("Socket-Type", socket_type.as_bytes())];
    if let Some(id) = identity {
        props.push(("Identity", id));
    }
    command_body("READY", &metadata_bytes(&props))
}

/// Parses metadata properties; errors on truncated input.
pub fn parse_metadata(mut data: &[u8]) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut props = Vec::new();
    while !data.is_empty() {
        let name_len = data[0] as usize;
        if name_len == 0 || data.len() < 1 + name_len + 4 {
            return Err(invalid("raw peer: truncated metadata name"));
        }
        let name = String::from_utf8_lossy(&data[1..1 + name_len]).into_owned();
        let vl_at = 1 + name_len;
        let value_len =
            u32::from_be_bytes(data[vl_at..vl_at + 4].try_into().expect("4 bytes")) as usize;
        let v_at = vl_at + 4;
        if data.len() < v_at + value_len {
            return Err(invalid("raw peer: truncated metadata value"));
        }
        props.push((name, data[v_at..v_at + value_len].to_vec()));
        data = &data[v_at + value_len..];
    }
    Ok(props)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_digest() {
        let g = greeting_bytes(3, 1, "NULL");
        assert_eq!(
            &g[..16],
            &[
                0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 3, 1, b'N', b'U', b'L', b'L'
            ]
        );
        assert!(g[16..].iter().all(|&b| b == 0));
        assert_eq!(frame_bytes(0, b"Hello"), b"\x00\x05Hello");
        let long = frame_bytes(0, &[7u8; 300]);
        assert_eq!(&long[..9], &[0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x2C]);
        assert_eq!(
            frame_bytes(FLAG_COMMAND, &ready_body("SUB", None)),
            b"\x04\x19\x05READY\x0bSocket-Type\x00\x00\x00\x03SUB"
        );
        let dealer = frame_bytes(FLAG_COMMAND, &ready_body("DEALER", Some(b"")));
        assert_eq!(dealer.len(), 43);
        assert_eq!(&dealer[..2], &[0x04, 0x29]);
        assert_eq!(
            frame_bytes(FLAG_COMMAND, &command_body("SUBSCRIBE", b"A")),
            b"\x04\x0b\x09SUBSCRIBEA"
        );
        assert_eq!(
            frame_header(0, 1 << 62),
            vec![0x02, 0x40, 0, 0, 0, 0, 0, 0, 0]
        );
        let md = parse_metadata(&ready_body("DEALER", Some(b"id"))[6..]).unwrap();
        assert_eq!(
            md,
            vec![
                ("Socket-Type".to_string(), b"DEALER".to_vec()),
                ("Identity".to_string(), b"id".to_vec())
            ]
        );
        assert!(parse_metadata(b"\x04name\x00\x00").is_err());
    }
}
