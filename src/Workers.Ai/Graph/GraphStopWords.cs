namespace Platform.Workers.Ai.Graph;

/// <summary>
/// Words that are never a name on their own, however they are capitalised: function words, document furniture (Chapter, Tip,
/// Section), generic nouns and verbs of technical writing that title-case headings and sentence starts capitalise, month and
/// day names; and Chinese generic terms that 「」“” often mark for emphasis. Chosen from the quality corpus's noise.
/// </summary>
public static class GraphStopWords
{
    /// <summary>Function words: a capitalised run is split at them ("Can I", "Per CVE" → CVE).</summary>
    public static readonly HashSet<string> Function = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "this", "that", "these", "those", "it", "its", "in", "on", "at", "if", "when", "where", "what", "which", "who",
        "whom", "whose", "how", "why", "we", "you", "they", "he", "she", "i", "me", "my", "our", "your", "their", "his", "her", "us",
        "them", "for", "from", "with", "by", "to", "of", "and", "or", "but", "not", "no", "yes", "all", "each", "every", "some", "any",
        "after", "before", "then", "there", "here", "also", "as", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does",
        "did", "done", "can", "could", "will", "would", "shall", "should", "may", "might", "must", "have", "has", "had", "so", "than",
        "too", "very", "just", "only", "both", "either", "neither", "nor", "many", "much", "more", "most", "less", "few", "other",
        "such", "own", "same", "into", "onto", "over", "under", "about", "above", "below", "between", "through", "during", "without",
        "within", "via", "per", "up", "down", "out", "off", "again", "once", "now", "still", "yet", "even", "ever", "never", "always",
        "often", "usually", "however", "therefore", "thus", "although", "though", "because", "since", "unless", "until", "while",
        "whether", "one", "two", "three", "first", "second", "third", "last", "next", "new", "old", "please", "let", "etc", "eg", "ie",
        "vs", "else", "otherwise", "instead", "like", "unlike", "don", "doesn", "isn", "aren", "won", "can't", "ok", "okay",
    };

    /// <summary>Generic words: a name made only of these (or of function words) is dropped ("Build", "Tip Some", "Remote Data").</summary>
    public static readonly HashSet<string> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        // document furniture
        "chapter", "section", "part", "appendix", "table", "figure", "fig", "example", "examples", "note", "notes", "tip", "tips",
        "warning", "caution", "important", "see", "also", "page", "pages", "contents", "content", "index", "introduction", "intro",
        "summary", "overview", "preface", "foreword", "abstract", "conclusion", "question", "questions", "answer", "answers", "step",
        "steps", "item", "items", "list", "lists", "line", "lines", "paragraph", "title", "heading", "header", "footer", "reference",
        "references", "guide", "manual", "document", "documents", "documentation", "doc", "docs", "readme", "faq", "todo", "fixme",
        "news", "changes", "changelog", "copyright", "license", "licence", "author", "authors", "thanks", "acknowledgements",
        "description", "details", "detail", "usage", "synopsis", "options", "option", "features", "feature", "status", "true", "false",
        "null", "none", "default", "defaults", "other", "others", "misc", "miscellaneous", "general", "basics", "basic", "advanced",
        "remote", "regular", "complete", "simple", "common", "special", "main", "standard", "typical", "normal", "current", "recent",
        "latest", "original", "official", "available", "possible", "useful", "important", "necessary", "required", "optional",
        "good", "bad", "better", "best", "small", "large", "big", "high", "low", "full", "light", "free", "open", "short", "long",
        // generic nouns and verbs of technical writing
        "file", "files", "user", "users", "system", "systems", "data", "type", "types", "name", "names", "value", "values", "version",
        "versions", "package", "packages", "source", "sources", "build", "builds", "building", "use", "used", "using", "add", "adding",
        "remove", "install", "installing", "installation", "setup", "set", "get", "run", "running", "make", "making", "create",
        "update", "upgrade", "upgrading", "configure", "configuration", "config", "control", "architecture", "program", "programs",
        "software", "tool", "tools", "command", "commands", "script", "scripts", "library", "libraries", "module", "modules", "service",
        "services", "server", "servers", "client", "clients", "network", "networking", "core", "compression", "decompression",
        "speed", "ratio", "level", "levels", "mode", "modes", "method", "methods", "function", "functions", "problem", "problems",
        "issue", "issues", "bug", "bugs", "error", "errors", "fix", "fixes", "support", "change", "test", "tests", "testing", "check",
        "release", "releases", "project", "projects", "team", "people", "person", "developer", "developers", "maintainer",
        "maintainers", "member", "members", "account", "accounts", "unit", "units", "code", "codes", "key", "keys", "host", "hosts",
        "address", "directory", "directories", "folder", "path", "paths", "disk", "disks", "memory", "time", "date", "day", "days",
        "year", "years", "number", "numbers", "size", "text", "format", "formats", "output", "input", "result", "results", "case",
        "way", "ways", "thing", "things", "work", "works", "point", "points", "start", "stop", "end", "begin", "help", "info",
        "information", "message", "messages", "request", "requests", "security", "access", "permission", "permissions", "log", "logs",
        "application", "applications", "process", "processes", "interface", "environment", "variable", "variables", "archive",
        "archives", "mirror", "mirrors", "distribution", "distributions", "kernel", "boot", "device", "devices", "hardware", "machine",
        "machines", "computer", "computers", "internet", "web", "site", "email", "mail", "keyboard", "mouse", "screen", "window",
        "windows", "desktop", "font", "fonts", "image", "images", "backup", "backups", "storage", "media", "task", "tasks", "job",
        "jobs", "foo", "bar", "baz", "qux", "libfoo", "hello", "world", "sample",
        // months and days, also abbreviated (changelog trailers)
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    };

    /// <summary>Path segments and web furniture: a lower-case word seen in a path is a name only when it is not one of these.</summary>
    public static readonly HashSet<string> PathFurniture =
    [
        "usr", "lib", "bin", "sbin", "share", "var", "opt", "tmp", "home", "local", "dev", "proc", "sys", "srv", "www", "http",
        "https", "org", "com", "net", "html", "htm", "conf", "cfg", "txt", "pdf", "gz", "tar", "xz", "deb", "src", "include", "man",
        "debian", "ubuntu", "pool", "main", "contrib", "non", "amd64", "i386", "all", "arm64", "wiki",
    ];

    public static bool IsGenericWord(string word) => Function.Contains(word) || Generic.Contains(word);

    public static readonly HashSet<string> Chinese =
    [
        "系统", "文件", "用户", "问题", "方法", "命令", "程序", "软件", "数据", "目录", "配置", "设置", "内容", "信息", "版本", "功能",
        "选项", "参数", "服务", "工具", "例子", "示例", "注意", "警告", "提示", "说明", "描述", "章节", "部分", "附录", "这个", "那个",
        "我们", "你们", "他们", "一个", "可以", "需要", "应该", "使用", "安装", "运行", "支持", "默认", "其他", "所有", "如果", "因为",
        "所以", "但是", "然后", "现在", "已经", "没有", "不是", "就是", "什么", "怎么", "为什么", "哪里", "如何", "是否", "软件包",
        "想要", "名称", "控制", "替代", "活动", "错误", "失败", "成功", "依赖", "升级", "注释", "作者", "例如", "以及", "或者",
    ];
}
