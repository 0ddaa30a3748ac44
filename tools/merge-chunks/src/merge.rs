//! Joins wasm modules of the kind wasm-split-cli emits for a split point or a shared chunk into
//! one that does what loading all of them does. Such a module defines functions and fills slots
//! of the main module's function table and ranges of its memory; everything else it uses it
//! imports from the main module (`__wasm_split`: memory, table, stack pointer). So joining is:
//! one import of each distinct name, every module's types, functions, element and data
//! segments one after the other, and every index in them moved to its place in the whole.
//!
//! A module that defines a table, memory or tag, exports something or has a start function is
//! refused: the splitter makes none, and joining one would need more than moving indices.

use std::collections::HashMap;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, CustomSection, DataCountSection, DataSection, ElementSection, FunctionSection,
    GlobalSection, ImportSection, Module, TypeSection,
};
use wasmparser::{Parser, Payload, TypeRef};

/// Why modules could not be joined.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("module {module}: {source}")]
    Read { module: usize, source: wasmparser::BinaryReaderError },
    #[error("module {module} has {what}, which a chunk of wasm-split-cli never has")]
    Unexpected { module: usize, what: &'static str },
    #[error("module {module}: {message}")]
    Reencode { module: usize, message: String },
    #[error("the joined module is not valid: {0}")]
    Invalid(wasmparser::BinaryReaderError),
}

/// What one module holds, read once.
struct Parts<'a> {
    imports: Vec<wasmparser::Import<'a>>,
    types: Option<wasmparser::TypeSectionReader<'a>>,
    functions: Option<wasmparser::FunctionSectionReader<'a>>,
    globals: Option<wasmparser::GlobalSectionReader<'a>>,
    elements: Option<wasmparser::ElementSectionReader<'a>>,
    data: Option<wasmparser::DataSectionReader<'a>>,
    bodies: Vec<wasmparser::FunctionBody<'a>>,
    target_features: Option<wasmparser::CustomSectionReader<'a>>,
}

impl<'a> Parts<'a> {
    fn read(module: usize, bytes: &'a [u8]) -> Result<Self, MergeError> {
        let read = |source| MergeError::Read { module, source };
        let refuse = |what| Err(MergeError::Unexpected { module, what });
        let mut parts = Parts {
            imports: Vec::new(),
            types: None,
            functions: None,
            globals: None,
            elements: None,
            data: None,
            bodies: Vec::new(),
            target_features: None,
        };
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.map_err(read)? {
                Payload::TypeSection(reader) => parts.types = Some(reader),
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        parts.imports.push(import.map_err(read)?);
                    }
                }
                Payload::FunctionSection(reader) => parts.functions = Some(reader),
                Payload::GlobalSection(reader) => parts.globals = Some(reader),
                Payload::ElementSection(reader) => parts.elements = Some(reader),
                Payload::DataSection(reader) => parts.data = Some(reader),
                Payload::CodeSectionEntry(body) => parts.bodies.push(body),
                Payload::CustomSection(custom) if custom.name() == "target_features" => {
                    parts.target_features = Some(custom)
                }
                Payload::TableSection(r) if r.count() > 0 => return refuse("a table of its own"),
                Payload::MemorySection(r) if r.count() > 0 => return refuse("a memory of its own"),
                Payload::TagSection(r) if r.count() > 0 => return refuse("tags"),
                Payload::ExportSection(r) if r.count() > 0 => return refuse("exports"),
                Payload::StartSection { .. } => return refuse("a start function"),
                Payload::Version { .. }
                | Payload::TableSection(_)
                | Payload::MemorySection(_)
                | Payload::TagSection(_)
                | Payload::ExportSection(_)
                | Payload::DataCountSection { .. }
                | Payload::CodeSectionStart { .. }
                | Payload::CustomSection(_)
                | Payload::End(_) => {}
                _ => return refuse("a section of another kind"),
            }
        }
        Ok(parts)
    }

    fn count<T>(reader: &Option<wasmparser::SectionLimited<'a, T>>) -> u32 {
        reader.as_ref().map_or(0, |r| r.count())
    }
}

/// Where one module's indices go in the joined module.
#[derive(Default)]
struct Moves {
    functions: Vec<u32>,
    globals: Vec<u32>,
    tables: Vec<u32>,
    memories: Vec<u32>,
    /// Empty active data segments are left out (the splitter writes every segment of the whole
    /// program into every chunk, empty but its own): `None` for those.
    data: Vec<Option<u32>>,
    types: u32,
    elements: u32,
}

fn moved(map: &[u32], index: u32, what: &str) -> Result<u32, reencode::Error<String>> {
    map.get(index as usize)
        .copied()
        .ok_or_else(|| reencode::Error::UserError(format!("{what} {index} is not defined")))
}

impl Reencode for Moves {
    type Error = String;

    fn function_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        moved(&self.functions, index, "function")
    }
    fn global_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        moved(&self.globals, index, "global")
    }
    fn table_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        moved(&self.tables, index, "table")
    }
    fn memory_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        moved(&self.memories, index, "memory")
    }
    fn type_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        Ok(self.types + index)
    }
    fn element_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        Ok(self.elements + index)
    }
    fn data_index(&mut self, index: u32) -> Result<u32, reencode::Error<String>> {
        self.data
            .get(index as usize)
            .copied()
            .flatten()
            .ok_or_else(|| reencode::Error::UserError(format!("data segment {index} is used but empty")))
    }
}

fn is_func(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Func(_) | TypeRef::FuncExact(_))
}
fn is_global(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Global(_))
}
fn is_table(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Table(_))
}
fn is_memory(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Memory(_))
}

/// One module that does what instantiating every one of `modules` does.
pub fn merge(modules: &[&[u8]]) -> Result<Vec<u8>, MergeError> {
    let parts =
        modules.iter().enumerate().map(|(i, bytes)| Parts::read(i, bytes)).collect::<Result<Vec<_>, _>>()?;

    // The imports, each (module, name) once, numbered in each kind's index space.
    let mut imports: Vec<(usize, wasmparser::Import<'_>)> = Vec::new();
    let mut import_index: HashMap<(&str, &str), u32> = HashMap::new();
    let mut kind_counts = [0u32; 4];
    let kinds: [fn(&TypeRef) -> bool; 4] = [is_func, is_global, is_table, is_memory];
    for (module, p) in parts.iter().enumerate() {
        for import in &p.imports {
            if import_index.contains_key(&(import.module, import.name)) {
                continue;
            }
            let Some(kind) = kinds.iter().position(|is| is(&import.ty)) else {
                return Err(MergeError::Unexpected { module, what: "an import of a tag" });
            };
            import_index.insert((import.module, import.name), kind_counts[kind]);
            kind_counts[kind] += 1;
            imports.push((module, *import));
        }
    }
    let [imported_functions, imported_globals, _, _] = kind_counts;

    // Every module's moves: its imports to the shared ones, the rest after those before it.
    let mut all_moves = Vec::new();
    let (mut functions, mut globals, mut types, mut elements, mut data) = (0, 0, 0, 0, 0);
    for (module, p) in parts.iter().enumerate() {
        let mut moves = Moves { types, elements, ..Moves::default() };
        for import in &p.imports {
            let index = import_index[&(import.module, import.name)];
            match import.ty {
                ty if is_func(&ty) => moves.functions.push(index),
                TypeRef::Global(_) => moves.globals.push(index),
                TypeRef::Table(_) => moves.tables.push(index),
                _ => moves.memories.push(index),
            }
        }
        let defined_functions = Parts::count(&p.functions);
        moves.functions.extend((0..defined_functions).map(|i| imported_functions + functions + i));
        let defined_globals = Parts::count(&p.globals);
        moves.globals.extend((0..defined_globals).map(|i| imported_globals + globals + i));
        functions += defined_functions;
        globals += defined_globals;
        types += p
            .types
            .as_ref()
            .map_or(Ok(0), type_count)
            .map_err(|source| MergeError::Read { module, source })?;
        elements += Parts::count(&p.elements);
        for datum in p.data.clone().into_iter().flatten() {
            let datum = datum.map_err(|source| MergeError::Read { module, source })?;
            moves.data.push((!is_empty(&datum)).then(|| {
                data += 1;
                data - 1
            }));
        }
        all_moves.push(moves);
    }

    let mut type_section = TypeSection::new();
    let mut import_section = ImportSection::new();
    let mut function_section = FunctionSection::new();
    let mut global_section = GlobalSection::new();
    let mut element_section = ElementSection::new();
    let mut code_section = CodeSection::new();
    let mut data_section = DataSection::new();
    for (module, (p, moves)) in parts.iter().zip(all_moves.iter_mut()).enumerate() {
        let failed = |e: reencode::Error<String>| MergeError::Reencode { module, message: e.to_string() };
        if let Some(reader) = p.types.clone() {
            moves.parse_type_section(&mut type_section, reader).map_err(failed)?;
        }
        if let Some(reader) = p.functions.clone() {
            moves.parse_function_section(&mut function_section, reader).map_err(failed)?;
        }
        if let Some(reader) = p.globals.clone() {
            moves.parse_global_section(&mut global_section, reader).map_err(failed)?;
        }
        if let Some(reader) = p.elements.clone() {
            moves.parse_element_section(&mut element_section, reader).map_err(failed)?;
        }
        for body in &p.bodies {
            moves.parse_function_body(&mut code_section, body.clone()).map_err(failed)?;
        }
        for datum in p.data.clone().into_iter().flatten() {
            let datum = datum.map_err(|source| MergeError::Read { module, source })?;
            if !is_empty(&datum) {
                moves.parse_data(&mut data_section, datum).map_err(failed)?;
            }
        }
    }
    for (module, import) in &imports {
        let ty = all_moves[*module]
            .entity_type(import.ty)
            .map_err(|e| MergeError::Reencode { module: *module, message: e.to_string() })?;
        import_section.import(import.module, import.name, ty);
    }

    let mut joined = Module::new();
    joined.section(&type_section);
    joined.section(&import_section);
    joined.section(&function_section);
    joined.section(&global_section);
    joined.section(&element_section);
    joined.section(&DataCountSection { count: data });
    joined.section(&code_section);
    joined.section(&data_section);
    // The features the code was compiled for, which wasm-opt reads.
    if let Some(features) = parts.iter().find_map(|p| p.target_features.clone()) {
        joined.section(&CustomSection { name: "target_features".into(), data: features.data().into() });
    }
    let bytes = joined.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .map_err(MergeError::Invalid)?;
    Ok(bytes)
}

/// An active segment that writes nothing: leaving it out changes nothing.
fn is_empty(datum: &wasmparser::Data<'_>) -> bool {
    datum.data.is_empty() && matches!(datum.kind, wasmparser::DataKind::Active { .. })
}

fn type_count(reader: &wasmparser::TypeSectionReader<'_>) -> Result<u32, wasmparser::BinaryReaderError> {
    let mut count = 0;
    for group in reader.clone() {
        count += group?.types().len() as u32;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
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
        let globals_before =
            imports[..stack].iter().filter(|(_, t)| matches!(t, EntityType::Global(_))).count();
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
                        let wasmparser::ElementItems::Functions(funcs) = element.unwrap().items else {
                            panic!()
                        };
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
        let b = chunk(
            2,
            &[("other", other), ("table", TABLE), ("stack", STACK), ("memory", MEMORY)],
            20,
            200,
            b"BB",
        );
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
                Payload::ImportSection(r) => {
                    Some(r.into_imports().map(|i| i.unwrap().name).collect::<Vec<_>>())
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(imports, ["memory", "table", "stack", "other"]);
        let data = Parser::new(0).parse_all(&joined).find_map(|p| match p.unwrap() {
            Payload::DataSection(r) => {
                Some(r.into_iter().map(|d| d.unwrap().data.to_vec()).collect::<Vec<_>>())
            }
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
}
