# Build: the .NET SDK image publishes the server (chat.proto is compiled here by Grpc.Tools).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Chat.Server/Chat.Server.csproj -c Release -o /app

# Run: the ASP.NET Core runtime image (Kestrel lives in its shared framework).
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
EXPOSE 7777 8080
# Every interface, so the published port reaches it. The operator console is standard input:
# start with `docker run -it`, or `docker attach` to a running container.
ENTRYPOINT ["dotnet", "chat-server.dll", "--host", "0.0.0.0", "--port", "7777"]
