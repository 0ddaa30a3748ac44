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
mod tests;
