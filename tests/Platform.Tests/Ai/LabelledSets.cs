namespace Platform.Tests.Ai;

/// <summary>
/// Small labelled retrieval sets: passages, and questions each with the one passage that answers it. The Chinese set is the
/// same topics written natively (not word-for-word), and its questions use different wording from the passages, as the
/// English ones do.
/// </summary>
public static class LabelledSets
{
    public static readonly string[] EnglishPassages =
    [
        "Job state lives in PostgreSQL. Every job row records its status, attempts, progress and the reason it failed.",
        "Uploaded files are stored in the blob store under a key derived from the tenant and the document id.",
        "The AI worker embeds chunks in batches and caches vectors in Redis keyed by model and content hash.",
        "Backups are taken nightly with pg_dump, compressed with gzip, and verified by restoring them into a scratch database.",
        "Rate limits from the model provider are handled by retrying after the delay given in the Retry-After header.",
        "Hybrid search fuses keyword and vector rankings with reciprocal rank fusion using the constant sixty.",
        "API keys are hashed with SHA-256; each key belongs to one tenant and carries scopes such as read, submit or admin.",
        "Chinese text is split into overlapping character bigrams so that queries match without a dictionary.",
        "The scheduler runs recurring jobs with Quartz and stores its triggers in the system database.",
        "Health endpoints report liveness, readiness of the database and broker, and whether the schema migration finished.",
    ];

    public static readonly (string Query, int Relevant)[] EnglishQueries =
    [
        ("where is the status of a job kept", 0),
        ("how are uploaded documents stored", 1),
        ("are embeddings cached between runs", 2),
        ("how often are database backups made and checked", 3),
        ("what happens when the provider returns too many requests", 4),
        ("how are keyword and vector results combined", 5),
        ("how are API keys protected and scoped", 6),
        ("how does search handle Chinese text", 7),
        ("which library schedules recurring jobs", 8),
        ("what do the health checks report", 9),
    ];

    public static readonly string[] ChinesePassages =
    [
        "任务状态保存在PostgreSQL数据库中，每条任务记录包含状态、尝试次数、进度以及失败原因。",
        "上传的文件保存在对象存储中，存储键由租户和文档编号组成。",
        "人工智能工作进程分批生成向量，并在Redis中按模型和内容哈希缓存向量。",
        "系统每晚使用pg_dump备份数据库，用gzip压缩，并通过恢复到临时数据库来验证备份。",
        "模型服务返回限流错误时，系统按照Retry-After头给出的时间等待后重试。",
        "混合检索使用倒数排名融合把关键词排名和向量排名合并在一起。",
        "接口密钥使用SHA-256哈希保存，每个密钥属于一个租户，并带有读取、提交或管理等权限。",
        "中文文本被切分为重叠的双字词，因此不需要词典也能匹配查询。",
        "调度器使用Quartz运行定时任务，并把触发器保存在系统数据库中。",
        "健康检查接口报告进程存活、数据库和消息队列是否就绪，以及数据库迁移是否完成。",
    ];

    public static readonly (string Query, int Relevant)[] ChineseQueries =
    [
        ("任务的状态保存在哪里", 0),
        ("上传的文件怎么存储", 1),
        ("向量会被缓存吗", 2),
        ("数据库备份多久做一次，怎么验证", 3),
        ("遇到限流怎么办", 4),
        ("关键词和向量的排名怎么合并", 5),
        ("接口密钥如何保存和授权", 6),
        ("中文查询怎么匹配", 7),
        ("定时任务用什么调度", 8),
        ("健康检查报告什么内容", 9),
    ];
}
