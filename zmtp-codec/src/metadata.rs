//! ZMTP metadata: the property list carried by READY and INITIATE.

use bytes::{BufMut, Bytes, BytesMut};

use crate::ProtocolError;

/// Property name of the socket type.
pub const SOCKET_TYPE: &str = "Socket-Type";
/// Property name of the routing identity.
pub const IDENTITY: &str = "Identity";
/// Property name of the user id an authenticator (ZAP) returned.
pub const USER_ID: &str = "User-Id";

/// An ordered list of (name, value) properties. Names are 1..=255 bytes,
/// values at most 2^31-1 bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    props: Vec<(Bytes, Bytes)>,
}

fn check_property(name: &[u8], value: &[u8]) -> Result<(), ProtocolError> {
    if name.is_empty() || name.len() > 255 {
        return Err(ProtocolError::InvalidMetadata(
            "property name must be 1..=255 bytes",
        ));
    }
    if value.len() > i32::MAX as usize {
        return Err(ProtocolError::InvalidMetadata("property value too long"));
    }
    Ok(())
}

impl Metadata {
    /// An empty property list.
    pub fn new() -> Metadata {
        Metadata::default()
    }

    /// Appends a property (even if one with that name exists).
    pub fn push(
        &mut self,
        name: impl Into<Bytes>,
        value: impl Into<Bytes>,
    ) -> Result<(), ProtocolError> {
        let (name, value) = (name.into(), value.into());
        check_property(&name, &value)?;
        self.props.push((name, value));
        Ok(())
    }

    /// Sets a property, replacing the first one whose name matches
    /// case-insensitively, or appending it.
    pub fn insert(
        &mut self,
        name: impl Into<Bytes>,
        value: impl Into<Bytes>,
    ) -> Result<(), ProtocolError> {
        let (name, value) = (name.into(), value.into());
        check_property(&name, &value)?;
        match self
            .props
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            Some(slot) => *slot = (name, value),
            None => self.props.push((name, value)),
        }
        Ok(())
    }

    /// The value of the first property whose name matches `name`
    /// case-insensitively (as RFC 37 says).
    pub fn get(&self, name: &str) -> Option<&Bytes> {
        self.props
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v)
    }

    /// The value of the first property named exactly `name` (case-sensitive,
    /// as libzmq matches `Socket-Type` and `Identity`).
    pub fn get_exact(&self, name: &str) -> Option<&Bytes> {
        self.props
            .iter()
            .find(|(n, _)| n == name.as_bytes())
            .map(|(_, v)| v)
    }

    /// The value of the first property named exactly `name` (byte-exact).
    pub fn get_exact_bytes(&self, name: &[u8]) -> Option<&Bytes> {
        self.props.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The properties in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Bytes, &Bytes)> {
        self.props.iter().map(|(n, v)| (n, v))
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.props.len()
    }

    /// Whether there are no properties.
    pub fn is_empty(&self) -> bool {
        self.props.is_empty()
    }

    /// Size of the encoded form.
    pub fn encoded_len(&self) -> usize {
        self.props
            .iter()
            .map(|(n, v)| 1 + n.len() + 4 + v.len())
            .sum()
    }

    /// Appends the encoded properties to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        out.reserve(self.encoded_len());
        for (name, value) in &self.props {
            // Lengths were checked on insertion.
            out.put_u8(name.len() as u8);
            out.put_slice(name);
            out.put_u32(value.len() as u32);
            out.put_slice(value);
        }
    }

    /// Parses an encoded property list; values are zero-copy slices of `data`.
    /// Truncated properties or trailing bytes fail with
    /// [`ProtocolError::InvalidMetadata`].
    pub fn decode(data: Bytes) -> Result<Metadata, ProtocolError> {
        let mut props = Vec::new();
        let mut pos = 0usize;
        let truncated = ProtocolError::InvalidMetadata("truncated property");
        while pos < data.len() {
            let name_len = usize::from(data[pos]);
            if name_len == 0 {
                return Err(ProtocolError::InvalidMetadata("empty property name"));
            }
            let name_start = pos + 1;
            let len_start = name_start + name_len;
            let value_start = len_start + 4;
            let Some(&[a, b, c, d]) = data.get(len_start..value_start) else {
                return Err(truncated);
            };
            let value_len = u32::from_be_bytes([a, b, c, d]);
            if value_len > i32::MAX as u32 {
                return Err(ProtocolError::InvalidMetadata("property value too long"));
            }
            let value_end = value_start
                .checked_add(value_len as usize)
                .filter(|&end| end <= data.len())
                .ok_or(truncated.clone())?;
            props.push((
                data.slice(name_start..len_start),
                data.slice(value_start..value_end),
            ));
            pos = value_end;
        }
        Ok(Metadata { props })
    }
}

impl<'a> IntoIterator for &'a Metadata {
    type Item = (&'a Bytes, &'a Bytes);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Bytes, Bytes)>,
        fn(&'a (Bytes, Bytes)) -> (&'a Bytes, &'a Bytes),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.props.iter().map(|(n, v)| (n, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dealer() -> Metadata {
        let mut m = Metadata::new();
        m.push(SOCKET_TYPE, "DEALER").unwrap();
        m.push(IDENTITY, "").unwrap();
        m
    }

    #[test]
    fn encodes_dealer_properties() {
        let mut out = BytesMut::new();
        dealer().encode(&mut out);
        let mut expected = vec![0x0B];
        expected.extend_from_slice(b"Socket-Type");
        expected.extend_from_slice(&[0, 0, 0, 6]);
        expected.extend_from_slice(b"DEALER");
        expected.push(0x08);
        expected.extend_from_slice(b"Identity");
        expected.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(&out[..], &expected[..]);
        assert_eq!(dealer().encoded_len(), expected.len());
        assert_eq!(Metadata::decode(out.freeze()).unwrap(), dealer());
    }

    #[test]
    fn lookup_is_case_insensitive_except_exact() {
        let m = dealer();
        assert_eq!(m.get("socket-type").unwrap(), "DEALER");
        assert_eq!(m.get("IDENTITY").unwrap(), "");
        assert!(m.get_exact("socket-type").is_none());
        assert!(m.get_exact("Socket-Type").is_some());
        assert!(m.get("X-Foo").is_none());
    }

    #[test]
    fn insert_replaces() {
        let mut m = dealer();
        m.insert("socket-type", "ROUTER").unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(SOCKET_TYPE).unwrap(), "ROUTER");
        m.insert("X-App", "1").unwrap();
        assert_eq!(m.iter().count(), 3);
        assert!(m.push("", "x").is_err());
        assert!(m.push(vec![b'a'; 256], "x").is_err());
        assert!(m.push(vec![b'a'; 255], "x").is_ok());
    }

    #[test]
    fn empty_is_valid() {
        assert!(Metadata::decode(Bytes::new()).unwrap().is_empty());
    }

    #[test]
    fn truncated_and_trailing_rejected() {
        let mut out = BytesMut::new();
        dealer().encode(&mut out);
        let full = out.freeze();
        for n in 1..full.len() {
            // every strict prefix that does not end on a property boundary fails
            let r = Metadata::decode(full.slice(..n));
            if n == 1 + 11 + 4 + 6 {
                assert!(r.is_ok());
            } else {
                assert!(
                    matches!(r, Err(ProtocolError::InvalidMetadata(_))),
                    "prefix {n}"
                );
            }
        }
        let mut trailing = BytesMut::from(&full[..]);
        trailing.put_u8(3);
        assert!(Metadata::decode(trailing.freeze()).is_err());
        assert!(Metadata::decode(Bytes::from_static(&[0])).is_err());
        // declared value length beyond the data
        assert!(Metadata::decode(Bytes::from_static(&[1, b'a', 0xFF, 0xFF, 0xFF, 0xFF])).is_err());
        assert!(Metadata::decode(Bytes::from_static(&[1, b'a', 0, 0, 0, 5, 1])).is_err());
    }
}
