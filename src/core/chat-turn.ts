/** One turn of a conversation. Only user turns ever go to the planner (pseudonymized). */
export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}
