// A small bundled prompt set for the demo and for runs without a dataset.

/** Short, varied chat prompts. */
export const DEMO_PROMPTS: readonly string[] = [
  'Explain the difference between latency and throughput in two paragraphs.',
  'Write a haiku about a load balancer at midnight.',
  'Summarise the causes of the 1929 stock market crash for a high-school student.',
  'What are three ways to reduce cold-start time of a serverless function?',
  'Translate "the cache was cold, so the first request was slow" into French and German.',
  'Give me a recipe for a vegetarian lasagne, with quantities for four people.',
  'Describe how continuous batching works in an LLM inference server.',
  'List five questions to ask when choosing a message queue.',
  'Write a short story opening set in a lighthouse during a storm.',
  'Compare SQL and NoSQL databases for a small e-commerce site.',
  'Explain what a p99 latency is to someone who has never heard of percentiles.',
  'Draft a polite email asking a colleague to review a pull request.',
  'What is the time complexity of binary search, and why?',
  'Suggest a weekend itinerary for a first visit to Lisbon.',
  'How does TCP congestion control react to packet loss?',
  'Write a limerick about a flaky integration test.',
];
