// Finds `{{#define "name"}}…{{/define}}` blocks in a parsed template. Like Go's {{define}},
// they must sit at the top level of a file; their bodies are compiled on their own so that
// `include` can run them with any context.
import { TemplateError } from "../../core/errors.js";

export interface DefineBlock {
  name: string;
  body: hbs.AST.Program;
}

function isBlock(node: hbs.AST.Node): node is hbs.AST.BlockStatement {
  return node.type === "BlockStatement";
}

function isPath(node: hbs.AST.Node): node is hbs.AST.PathExpression {
  return node.type === "PathExpression";
}

function isStringLiteral(node: hbs.AST.Node): node is hbs.AST.StringLiteral {
  return node.type === "StringLiteral";
}

function isDefine(block: hbs.AST.BlockStatement): boolean {
  return isPath(block.path) && block.path.original === "define";
}

function nestedDefineLine(program: hbs.AST.Program | undefined): number | undefined {
  for (const node of program?.body ?? []) {
    if (!isBlock(node)) continue;
    if (isDefine(node)) return node.loc.start.line;
    const line = nestedDefineLine(node.program) ?? nestedDefineLine(node.inverse);
    if (line !== undefined) return line;
  }
  return undefined;
}

export function findDefines(templateName: string, ast: hbs.AST.Program): DefineBlock[] {
  const out: DefineBlock[] = [];
  for (const node of ast.body) {
    if (!isBlock(node)) continue;
    const where = `template: ${templateName}:${node.loc.start.line}`;
    if (!isDefine(node)) {
      const line = nestedDefineLine(node.program) ?? nestedDefineLine(node.inverse);
      if (line !== undefined) throw new TemplateError(`template: ${templateName}:${line}: define is only allowed at the top level of a file`);
      continue;
    }
    const [first] = node.params;
    if (node.params.length !== 1 || first === undefined || !isStringLiteral(first)) {
      throw new TemplateError(`${where}: define needs exactly one quoted name, e.g. {{#define "mychart.labels"}}`);
    }
    out.push({ name: first.value, body: node.program });
  }
  return out;
}
