//! Joining hand-made modules of the splitter's shape, and refusing others.

use wasm_encoder::{
    ConstExpr, DataSection, ElementSection, Elements, EntityType, ExportKind, ExportSection, Function,
    GlobalType, Instruction, MemoryType, RefType, TableType, ValType,
};

use super::*;

const MEMORY: EntityType = EntityType::Memory(MemoryType {
    minimum: 17,
    maximum: None,
    memory64: false,
    shared: false,
    page_size_log2: None,
});
const TABLE: EntityType = EntityType::Table(TableType {
    element_type: RefType::FUNCREF,
    minimum: 64,
    maximum: None,
    table64: false,
    shared: false,
});
const STACK: EntityType =
    EntityType::Global(GlobalType { val_type: ValType::I32, mutable: true, shared: false });

/// A module as the splitter makes them: `types` extra unused types first, two functions of
/// `(i32) -> i32`, the first calling the second, the second reading the stack pointer and
/// memory; both put in the table at `slot`, and `bytes` written at `at`.
fn chunk(types: u32, imports: &[(&str, EntityType)], slot: i32, at: i32, bytes: &[u8]) -> Vec<u8> {
    let mut module = Module::new();
    let mut type_section = TypeSection::new();
    for _ in 0..types {
        type_section.ty().function([], []);
    }
    type_section.ty().function([ValType::I32], [ValType::I32]);
    module.section(&type_section);
    let mut import_section = ImportSection::new();
    for (name, ty) in imports {
        import_section.import("__wasm_split", name, *ty);
    }
    module.section(&import_section);
    let mut functions = FunctionSection::new();
    functions.function(types).function(types);
    module.section(&functions);
    let stack = imports.iter().position(|(n, _)| *n == "stack").unwrap();
    let globals_before = imports[..stack].iter().filter(|(_, t)| matches!(t, EntityType::Global(_))).count();
    let mut elements = ElementSection::new();
    elements.active(None, &ConstExpr::i32_const(slot), Elements::Functions([0, 1][..].into()));
    module.section(&elements);
    module.section(&DataCountSection { count: 1 });
    let mut code = CodeSection::new();
    let mut first = Function::new([]);
    first
        .instruction(&Instruction::LocalGet(0))
        .instruction(&Instruction::Call(1))
        .instruction(&Instruction::End);
    code.function(&first);
    let mut second = Function::new([]);
    second
        .instruction(&Instruction::GlobalGet(globals_before as u32))
        .instruction(&Instruction::I32Load(wasm_encoder::MemArg { offset: 0, align: 2, memory_index: 0 }))
        .instruction(&Instruction::End);
    code.function(&second);
    module.section(&code);
    let mut data = DataSection::new();
    data.active(0, &ConstExpr::i32_const(at), bytes.iter().copied());
    module.section(&data);
    module.finish()
}

fn calls_and_globals(bytes: &[u8]) -> (Vec<u32>, Vec<u32>, Vec<Vec<u32>>) {
    let (mut calls, mut globals, mut slots) = (Vec::new(), Vec::new(), Vec::new());
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.unwrap() {
            Payload::CodeSectionEntry(body) => {
                for op in body.get_operators_reader().unwrap() {
                    match op.unwrap() {
                        wasmparser::Operator::Call { function_index } => calls.push(function_index),
                        wasmparser::Operator::GlobalGet { global_index } => globals.push(global_index),
                        _ => {}
                    }
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    let wasmparser::ElementItems::Functions(funcs) = element.unwrap().items else { panic!() };
                    slots.push(funcs.into_iter().map(Result::unwrap).collect());
                }
            }
            _ => {}
        }
    }
    (calls, globals, slots)
}

#[test]
fn joins_functions_elements_and_data_with_their_indices_moved() {
    let a = chunk(0, &[("memory", MEMORY), ("table", TABLE), ("stack", STACK)], 10, 100, b"AA");
    // The same imports in another order, one more global, and types before its own.
    let other = EntityType::Global(GlobalType { val_type: ValType::I32, mutable: false, shared: false });
    let b =
        chunk(2, &[("other", other), ("table", TABLE), ("stack", STACK), ("memory", MEMORY)], 20, 200, b"BB");
    let joined = merge(&[&a, &b]).unwrap();

    let (calls, globals, slots) = calls_and_globals(&joined);
    // a's functions are 0 and 1, b's 2 and 3: each first calls its own second.
    assert_eq!(calls, [1, 3]);
    // The stack pointer is one import (global 0), "other" the second global.
    assert_eq!(globals, [0, 0]);
    assert_eq!(slots, [vec![0, 1], vec![2, 3]]);
    let imports = Parser::new(0)
        .parse_all(&joined)
        .find_map(|p| match p.unwrap() {
            Payload::ImportSection(r) => Some(r.into_imports().map(|i| i.unwrap().name).collect::<Vec<_>>()),
            _ => None,
        })
        .unwrap();
    assert_eq!(imports, ["memory", "table", "stack", "other"]);
    let data = Parser::new(0).parse_all(&joined).find_map(|p| match p.unwrap() {
        Payload::DataSection(r) => Some(r.into_iter().map(|d| d.unwrap().data.to_vec()).collect::<Vec<_>>()),
        _ => None,
    });
    assert_eq!(data.unwrap(), [b"AA".to_vec(), b"BB".to_vec()]);
}

#[test]
fn refuses_a_module_the_splitter_does_not_make() {
    let a = chunk(0, &[("memory", MEMORY), ("table", TABLE), ("stack", STACK)], 10, 100, b"AA");
    let mut exporting = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], []);
    exporting.section(&types);
    let mut functions = FunctionSection::new();
    functions.function(0);
    exporting.section(&functions);
    let mut exports = ExportSection::new();
    exports.export("f", ExportKind::Func, 0);
    exporting.section(&exports);
    let mut code = CodeSection::new();
    code.function(Function::new([]).instruction(&Instruction::End));
    exporting.section(&code);
    let refused = merge(&[&a, &exporting.finish()]).unwrap_err();
    assert!(matches!(refused, MergeError::Unexpected { module: 1, what: "exports" }), "{refused}");
    assert!(matches!(merge(&[&a, b"not wasm"]), Err(MergeError::Read { module: 1, .. })));
}
