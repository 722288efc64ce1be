//! The protobuf wire format: varints and the fields of a message.

use super::ProtoError;

/// One field's value on the wire.
#[derive(Debug, Clone, Copy)]
pub(super) enum Wire<'a> {
    Varint(u64),
    Fixed64(u64),
    /// A fixed32 (no field of the built-in kinds has one; skipped).
    Fixed32,
    Bytes(&'a [u8]),
}

pub(super) fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, ProtoError> {
    let mut out = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf
            .get(*pos)
            .ok_or(ProtoError::Malformed("truncated varint"))?;
        *pos += 1;
        out |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(out);
        }
    }
    Err(ProtoError::Malformed("varint too long"))
}

fn take<'a>(buf: &'a [u8], pos: &mut usize, len: usize) -> Result<&'a [u8], ProtoError> {
    let end = pos
        .checked_add(len)
        .filter(|e| *e <= buf.len())
        .ok_or(ProtoError::Malformed("truncated field"))?;
    let out = &buf[*pos..end];
    *pos = end;
    Ok(out)
}

/// The fields of a message, in order: (field number, value).
pub(super) fn fields(buf: &[u8]) -> Result<Vec<(u64, Wire<'_>)>, ProtoError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let key = varint(buf, &mut pos)?;
        let value = match key & 7 {
            0 => Wire::Varint(varint(buf, &mut pos)?),
            1 => {
                let b = take(buf, &mut pos, 8)?;
                Wire::Fixed64(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
            }
            2 => {
                let len = usize::try_from(varint(buf, &mut pos)?)
                    .map_err(|_| ProtoError::Malformed("length"))?;
                Wire::Bytes(take(buf, &mut pos, len)?)
            }
            5 => {
                take(buf, &mut pos, 4)?;
                Wire::Fixed32
            }
            _ => return Err(ProtoError::Malformed("wire type")),
        };
        out.push((key >> 3, value));
    }
    Ok(out)
}
