//! The workspace's members, their roles and their devices.

use std::collections::BTreeMap;

use automerge::{ActorId, AutoCommit, transaction::Transactable};
use autosurgeon::reconcile_prop;

use super::{Device, Member, Role, Workspace, map, non_empty};
use crate::model::document::{change, entry, object};
use crate::model::{ID_LEN, MemberId, ModelError};

/// Adds a member under a fresh id made of the caller's `random` bytes, and returns it.
pub fn add_member(
    doc: &mut AutoCommit,
    now_ms: i64,
    random: [u8; ID_LEN],
    name: &str,
    role: Role,
) -> Result<MemberId, ModelError> {
    non_empty("member name", name)?;
    let members = map(doc, "members")?;
    let id = MemberId::from_bytes(random);
    let member = Member { name: name.to_string(), role, devices: BTreeMap::new() };
    let message = format!("add member {name:?} as {}", role.as_token());
    change(doc, now_ms, message, |doc| Ok(reconcile_prop(doc, &members, id.to_string().as_str(), &member)?))?;
    Ok(id)
}

pub fn rename_member(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    name: &str,
) -> Result<(), ModelError> {
    non_empty("member name", name)?;
    let obj = member_object(doc, member)?;
    change(doc, now_ms, format!("rename member to {name:?}"), |doc| {
        Ok(reconcile_prop(doc, &obj, "name", name)?)
    })
}

/// Changes a member's role; the last owner cannot be demoted.
pub fn set_member_role(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    role: Role,
) -> Result<(), ModelError> {
    let obj = member_object(doc, member)?;
    let workspace = Workspace::load(doc)?;
    let current = &workspace.members[&member];
    if current.role == Role::Owner && role != Role::Owner && workspace.owners() == 1 {
        return Err(ModelError::LastOwner);
    }
    let message = format!("make {:?} {}", current.name, role.as_token());
    change(doc, now_ms, message, |doc| Ok(reconcile_prop(doc, &obj, "role", role)?))
}

/// Removes a member; the last owner cannot be removed.
pub fn remove_member(doc: &mut AutoCommit, now_ms: i64, member: MemberId) -> Result<(), ModelError> {
    member_object(doc, member)?;
    let workspace = Workspace::load(doc)?;
    let current = &workspace.members[&member];
    if current.role == Role::Owner && workspace.owners() == 1 {
        return Err(ModelError::LastOwner);
    }
    let members = map(doc, "members")?;
    let message = format!("remove member {:?}", current.name);
    change(doc, now_ms, message, |doc| Ok(doc.delete(&members, member.to_string())?))
}

/// Records that `device` (an Automerge actor) belongs to `member`.
pub fn add_device(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    device: &ActorId,
    label: &str,
) -> Result<(), ModelError> {
    let obj = member_object(doc, member)?;
    let workspace = Workspace::load(doc)?;
    match workspace.member_for_actor(device) {
        Some(owner) if owner != member => return Err(ModelError::DeviceClaimed(device.to_string())),
        _ => {}
    }
    let devices = object(doc, &obj, "devices")?;
    let entry = Device { label: label.to_string(), added_at_ms: now_ms };
    let message = format!("add device {label:?} for {:?}", workspace.members[&member].name);
    change(doc, now_ms, message, |doc| {
        Ok(reconcile_prop(doc, &devices, device.to_string().as_str(), &entry)?)
    })
}

pub fn remove_device(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    device: &ActorId,
) -> Result<(), ModelError> {
    let obj = member_object(doc, member)?;
    let devices = object(doc, &obj, "devices")?;
    entry(doc, &devices, device.to_string(), "device")?;
    change(
        doc,
        now_ms,
        format!("remove device {device}"),
        |doc| Ok(doc.delete(&devices, device.to_string())?),
    )
}

fn member_object(doc: &AutoCommit, member: MemberId) -> Result<automerge::ObjId, ModelError> {
    let members = map(doc, "members")?;
    entry(doc, &members, member.to_string(), "member")
}
