/** The part of the `edifact` parser (npm, a dev dependency: tests only) that the IFTSTA tests use. */
declare module 'edifact' {
  const edifact: { Reader: new () => { parse(document: string): { name: string; elements: string[][] }[] } };
  export default edifact;
}
