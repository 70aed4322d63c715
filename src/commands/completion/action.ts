// The completion scripts behind `sdcoach completion bash|zsh|fish`, generated from the commander
// program itself, so every command, subcommand and flag is offered as registered. Values:
// choices as declared; problem ids, rubric names and session ids from `sdcoach __complete`
// when Tab is pressed; files and folders from the shell. Imported only by `sdcoach completion`.
import type { Command, Option } from 'commander';
import type { DynamicKind, Shell } from './kinds.js';

/** What may fill a value: fixed words, ids from `__complete`, files, folders. */
export interface ValueKind {
  words?: string[];
  dynamic?: DynamicKind;
  files?: boolean;
  dirs?: boolean;
}

export interface OptionSpec {
  flags: string[];
  description: string;
  /** Absent for a flag without a value. */
  value?: ValueKind;
}

export interface CommandSpec {
  /** Words from the program to this command: '' for sdcoach itself, 'sessions show'. */
  path: string;
  description: string;
  subcommands: string[];
  options: OptionSpec[];
  /** One per positional argument; the last repeats when it is variadic. */
  args: (ValueKind | undefined)[];
  variadic: boolean;
}

/**
 * Values by the name of an option (`--rubric <name|file>`) or an argument (`<id>`): the names
 * are what the commands use for these things, so a new command that takes a problem id the
 * same way completes it too.
 */
function kindByName(name: string, path: string, configKeys: string[]): ValueKind | undefined {
  switch (name) {
    case 'problem':
      return { dynamic: 'problems' };
    case 'id|file':
      return { dynamic: 'problems', files: true };
    case 'id':
    case 'resume':
      return path.startsWith('sessions') || name === 'resume' ? { dynamic: 'sessions' } : undefined;
    case 'rubric':
    case 'name|file':
      return { dynamic: 'rubrics', files: true };
    case 'key':
      return { words: configKeys };
    case 'provider':
      return { words: ['builtin', 'openai', 'local', 'ollama', 'lmstudio'] };
    case 'dir':
    case 'folder':
      return { dirs: true };
    case 'out':
    case 'script':
    case 'file':
    case 'files':
    case 'paths':
      return { files: true };
    default:
      return undefined;
  }
}

function optionValue(option: Option, path: string, configKeys: string[]): ValueKind | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { words: [...option.argChoices] };
  return kindByName(option.attributeName() === 'problem' ? 'problem' : option.long!.replace(/^--/, ''), path, configKeys) ?? {};
}

/** Every visible command, depth first, with its flags and what its arguments take. */
export function commandSpecs(program: Command, configKeys: string[]): CommandSpec[] {
  const specs: CommandSpec[] = [];
  const walk = (command: Command, path: string) => {
    const visible = command.commands.filter((sub) => !(sub as unknown as { _hidden?: boolean })._hidden);
    const options: OptionSpec[] = command.options
      .filter((option) => !option.hidden)
      .map((option) => {
        const value = optionValue(option, path, configKeys);
        return { flags: [option.short, option.long].filter((flag): flag is string => Boolean(flag)), description: option.description, ...(value ? { value } : {}) };
      });
    options.push({ flags: ['-h', '--help'], description: 'display help for command' });
    const args = command.registeredArguments;
    specs.push({
      path,
      description: command.description(),
      subcommands: visible.map((sub) => sub.name()),
      options,
      args: args.map((arg) => (arg.argChoices ? { words: [...arg.argChoices] } : kindByName(arg.name(), path, configKeys))),
      variadic: args.at(-1)?.variadic ?? false,
    });
    for (const sub of visible) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, '');
  return specs;
}

/** A ValueKind as the shell helpers read it: space-separated tokens. */
function kindTokens(kind: ValueKind): string {
  const tokens: string[] = [];
  if (kind.words?.length) tokens.push(`words:${kind.words.join(',')}`);
  if (kind.dynamic) tokens.push(kind.dynamic);
  if (kind.files) tokens.push('files');
  if (kind.dirs) tokens.push('dirs');
  return tokens.join(' ') || 'none';
}

const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Case-statement helpers that read the same in bash and zsh. */
function posixHelpers(specs: CommandSpec[]): string {
  const lines: string[] = [];
  lines.push('# The subcommands of a command path ("" is sdcoach itself).');
  lines.push('_sdcoach_subcommands() {', '  case "$1" in');
  for (const spec of specs) if (spec.subcommands.length) lines.push(`    ${sh(spec.path)}) echo ${sh(spec.subcommands.join(' '))} ;;`);
  lines.push('  esac', '}', '');
  lines.push('# Every flag of a command path.');
  lines.push('_sdcoach_options() {', '  case "$1" in');
  for (const spec of specs) lines.push(`    ${sh(spec.path)}) echo ${sh(spec.options.flatMap((o) => o.flags).join(' '))} ;;`);
  lines.push('  esac', '}', '');
  lines.push("# What an option's value takes; fails for a flag that takes none.");
  lines.push('_sdcoach_option_value() {', '  case "$1|$2" in');
  for (const spec of specs) {
    for (const option of spec.options) {
      if (!option.value) continue;
      lines.push(`    ${option.flags.map((flag) => sh(`${spec.path}|${flag}`)).join('|')}) echo ${sh(kindTokens(option.value))} ;;`);
    }
  }
  lines.push('    *) return 1 ;;', '  esac', '}', '');
  lines.push('# What positional argument $2 (from 0) of a command path takes.');
  lines.push('_sdcoach_argument() {', '  case "$1" in');
  for (const spec of specs) {
    if (spec.args.length === 0) continue;
    const cases = spec.args.map((arg, i) => {
      const last = i === spec.args.length - 1 && spec.variadic;
      return `${last ? '*' : i}) echo ${sh(arg ? kindTokens(arg) : 'none')} ;;`;
    });
    lines.push(`    ${sh(spec.path)}) case "$2" in ${cases.join(' ')} esac ;;`);
  }
  lines.push('  esac', '}');
  return lines.join('\n');
}

function bashScript(specs: CommandSpec[]): string {
  return `# bash completion for sdcoach (sdcoach completion bash). Load it in this shell, or for every new one:
#   source <(sdcoach completion bash)
#   sdcoach completion bash > ~/.local/share/bash-completion/completions/sdcoach

${posixHelpers(specs)}

# Candidates for a value kind ($1) matching the word being completed ($2).
_sdcoach_values() {
  local kind words=()
  for kind in $1; do
    case "$kind" in
      problems|rubrics|sessions)
        words+=( $("\${COMP_WORDS[0]}" __complete "$kind" \${_sdcoach_dir:+--dir "$_sdcoach_dir"} 2>/dev/null) ) ;;
      words:*) kind="\${kind#words:}" ; words+=( \${kind//,/ } ) ;;
      files) COMPREPLY+=( $(compgen -f -- "$2") ) ; compopt -o filenames 2>/dev/null ;;
      dirs) COMPREPLY+=( $(compgen -d -- "$2") ) ; compopt -o filenames 2>/dev/null ;;
    esac
  done
  [[ \${#words[@]} -gt 0 ]] && COMPREPLY+=( $(compgen -W "\${words[*]}" -- "$2") )
  return 0
}

_sdcoach() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmdpath='' positional=0 i word kind _sdcoach_dir=''
  COMPREPLY=()
  # Walk the words before the cursor: subcommands extend the path, options (and their values)
  # are skipped, anything else is a positional argument.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ $word == -* ]]; then
      if [[ $word != *=* ]] && _sdcoach_option_value "$cmdpath" "$word" >/dev/null; then
        [[ $word == --dir ]] && _sdcoach_dir="\${COMP_WORDS[i+1]}"
        ((i++))
      fi
      continue
    fi
    if (( positional == 0 )) && [[ " $(_sdcoach_subcommands "$cmdpath") " == *" $word "* ]]; then
      cmdpath="\${cmdpath:+$cmdpath }$word"
    else
      ((positional++))
    fi
  done
  if (( COMP_CWORD > 1 )) && [[ $prev == -* && $prev != *=* ]] && kind=$(_sdcoach_option_value "$cmdpath" "$prev"); then
    _sdcoach_values "$kind" "$cur"
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$(_sdcoach_options "$cmdpath")" -- "$cur") )
    return 0
  fi
  if (( positional == 0 )); then
    COMPREPLY=( $(compgen -W "$(_sdcoach_subcommands "$cmdpath")" -- "$cur") )
  fi
  kind=$(_sdcoach_argument "$cmdpath" "$positional") && _sdcoach_values "$kind" "$cur"
  return 0
}

complete -F _sdcoach sdcoach
`;
}

function zshScript(specs: CommandSpec[]): string {
  return `#compdef sdcoach
# zsh completion for sdcoach (sdcoach completion zsh). Load it in this shell, or for every new one:
#   source <(sdcoach completion zsh)
#   sdcoach completion zsh > "\${fpath[1]}/_sdcoach"     # any folder on $fpath, then compinit

${posixHelpers(specs)}

# Offer the candidates of a value kind ($1).
_sdcoach_values() {
  local kind
  for kind in \${=1}; do
    case "$kind" in
      problems|rubrics|sessions)
        compadd -- \${(f)"$(\${words[1]} __complete $kind \${_sdcoach_dir:+--dir $_sdcoach_dir} 2>/dev/null)"} ;;
      words:*) compadd -- \${(s:,:)\${kind#words:}} ;;
      files) _files ;;
      dirs) _files -/ ;;
    esac
  done
}

_sdcoach() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local cmdpath='' positional=0 i word kind _sdcoach_dir=''
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if [[ $word == -* ]]; then
      if [[ $word != *=* ]] && _sdcoach_option_value "$cmdpath" "$word" >/dev/null; then
        [[ $word == --dir ]] && _sdcoach_dir="\${words[i+1]}"
        ((i++))
      fi
      continue
    fi
    if (( positional == 0 )) && [[ " $(_sdcoach_subcommands "$cmdpath") " == *" $word "* ]]; then
      cmdpath="\${cmdpath:+$cmdpath }$word"
    else
      ((positional++))
    fi
  done
  if (( CURRENT > 2 )) && [[ $prev == -* && $prev != *=* ]] && kind=$(_sdcoach_option_value "$cmdpath" "$prev"); then
    _sdcoach_values "$kind"
    return
  fi
  if [[ $cur == -* ]]; then
    compadd -- \${=$(_sdcoach_options "$cmdpath")}
    return
  fi
  if (( positional == 0 )); then
    compadd -- \${=$(_sdcoach_subcommands "$cmdpath")}
  fi
  kind=$(_sdcoach_argument "$cmdpath" "$positional") && _sdcoach_values "$kind"
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _sdcoach "$@"
else
  compdef _sdcoach sdcoach
fi
`;
}

const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishValues(kind: ValueKind): string {
  const parts: string[] = [];
  if (kind.dynamic) parts.push(`(__sdcoach_complete ${kind.dynamic})`);
  if (kind.words?.length) parts.push(kind.words.join(' '));
  return parts.length ? ` -a ${fishQuote(parts.join(' '))}` : '';
}

function fishScript(specs: CommandSpec[]): string {
  const lines = [
    '# fish completion for sdcoach (sdcoach completion fish). Load it in this shell, or for every new one:',
    '#   sdcoach completion fish | source',
    '#   sdcoach completion fish > ~/.config/fish/completions/sdcoach.fish',
    '',
    'function __sdcoach_subcommands',
    '    switch "$argv[1]"',
  ];
  for (const spec of specs) {
    if (spec.subcommands.length) lines.push(`        case ${fishQuote(spec.path)}`, `            printf '%s\\n' ${spec.subcommands.join(' ')}`);
  }
  lines.push(
    '    end',
    'end',
    '',
    '# The command path typed so far ("" is sdcoach itself, then e.g. "sessions show").',
    'function __sdcoach_path',
    '    set -l cmdpath ""',
    '    for token in (commandline -opc)[2..-1]',
    "        string match -q -- '-*' $token; and continue",
    '        contains -- $token (__sdcoach_subcommands "$cmdpath"); or break',
    '        set cmdpath (string trim -- "$cmdpath $token")',
    '    end',
    '    echo $cmdpath',
    'end',
    '',
    'function __sdcoach_at',
    '    test (__sdcoach_path) = "$argv[1]"',
    'end',
    '',
    'function __sdcoach_complete',
    '    set -l cmd (commandline -opc)[1]',
    '    $cmd __complete $argv 2>/dev/null',
    'end',
    '',
    'complete -c sdcoach -f',
  );
  const descriptions = new Map(specs.map((spec) => [spec.path, spec.description]));
  for (const spec of specs) {
    const at = `-n ${fishQuote(`__sdcoach_at ${fishQuote(spec.path)}`)}`;
    for (const sub of spec.subcommands) {
      const path = spec.path ? `${spec.path} ${sub}` : sub;
      lines.push(`complete -c sdcoach ${at} -a ${sub} -d ${fishQuote(firstLine(descriptions.get(path) ?? ''))}`);
    }
    for (const option of spec.options) {
      const names = option.flags.map((flag) => (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`)).join(' ');
      const value = option.value ? ` -r${option.value.files || option.value.dirs ? ' -F' : ''}${fishValues(option.value)}` : '';
      lines.push(`complete -c sdcoach ${at} ${names}${value} -d ${fishQuote(firstLine(option.description))}`);
    }
    const kinds = spec.args.filter((arg): arg is ValueKind => Boolean(arg));
    for (const kind of kinds) {
      const values = fishValues(kind);
      if (values || kind.files || kind.dirs) lines.push(`complete -c sdcoach ${at}${kind.files || kind.dirs ? ' -F' : ''}${values}`);
    }
  }
  return lines.join('\n') + '\n';
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 80);
}

/** The script for `shell`, from the program `sdcoach completion` belongs to. */
export async function completionScript(shell: Shell, program: Command): Promise<string> {
  const { Settings } = await import('../../schemas/settings.js');
  const configKeys = Object.keys(Settings.shape).filter((key) => key !== 'schemaVersion');
  const specs = commandSpecs(program, configKeys);
  if (shell === 'bash') return bashScript(specs);
  if (shell === 'zsh') return zshScript(specs);
  return fishScript(specs);
}
